namespace Tributary.Grains.Connect.Api.Config;

/// <summary>
/// Typed configuration values with the original strings (Kafka's <c>AbstractConfig</c>): typed getters for defined keys,
/// <see cref="OriginalsWithPrefix"/> for pass-through groups such as <c>producer.override.</c> or <c>transforms.x.</c>.
/// </summary>
public sealed class ParsedConfig(IReadOnlyDictionary<string, object?> values, IReadOnlyDictionary<string, string> originals)
{
    public IReadOnlyDictionary<string, object?> Values { get; } = values;

    public IReadOnlyDictionary<string, string> Originals { get; } = originals;

    public object? Get(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new ConfigException("Unknown configuration '" + name + "'");

    public string? GetString(string name) => (string?)Get(name);

    public int GetInt(string name) => (int)Get(name)!;

    public short GetShort(string name) => (short)Get(name)!;

    public long GetLong(string name) => (long)Get(name)!;

    public double GetDouble(string name) => (double)Get(name)!;

    public bool GetBoolean(string name) => (bool)Get(name)!;

    public IReadOnlyList<string> GetList(string name) => (IReadOnlyList<string>?)Get(name) ?? [];

    public Password? GetPassword(string name) => (Password?)Get(name);

    /// <summary>The original properties under <paramref name="prefix"/>, with the prefix removed when <paramref name="strip"/>.</summary>
    public IReadOnlyDictionary<string, string> OriginalsWithPrefix(string prefix, bool strip = true) =>
        Originals.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => strip ? p.Key[prefix.Length..] : p.Key, p => p.Value, StringComparer.Ordinal);
}
