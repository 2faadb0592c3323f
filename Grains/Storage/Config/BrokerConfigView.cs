using System.Collections.Frozen;
using System.Globalization;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// One broker's configs as Kafka resolves them (DynamicBrokerConfig): a value set for this broker at runtime wins over
/// one set for the cluster at runtime, which wins over what the broker was started with, which wins over Kafka's
/// default. Also what topics inherit: each topic config without its own value takes the first of its broker
/// synonyms that has one (<see cref="TopicDefaults"/>). Immutable: a change builds a new view.
/// </summary>
public sealed class BrokerConfigView
{
    private static readonly FrozenDictionary<string, string> None = FrozenDictionary<string, string>.Empty;

    private readonly Lazy<FrozenDictionary<string, string>> _topicDefaults;

    public BrokerConfigView(
        IReadOnlyDictionary<string, string>? staticConfigs = null,
        IReadOnlyDictionary<string, string>? dynamicDefault = null,
        IReadOnlyDictionary<string, string>? dynamicBroker = null)
    {
        StaticConfigs = staticConfigs?.ToFrozenDictionary(StringComparer.Ordinal) ?? None;
        DynamicDefault = dynamicDefault?.ToFrozenDictionary(StringComparer.Ordinal) ?? None;
        DynamicBroker = dynamicBroker?.ToFrozenDictionary(StringComparer.Ordinal) ?? None;
        _topicDefaults = new Lazy<FrozenDictionary<string, string>>(ResolveTopicDefaults);
    }

    public FrozenDictionary<string, string> StaticConfigs { get; }

    public FrozenDictionary<string, string> DynamicDefault { get; }

    public FrozenDictionary<string, string> DynamicBroker { get; }

    /// <summary>Each topic config's default on this broker, as the partition logs and DescribeConfigs use it.</summary>
    public IReadOnlyDictionary<string, string> TopicDefaults => _topicDefaults.Value;

    /// <summary>The config's value on this broker, or null (a Kafka config without default, or an unknown name).</summary>
    public string? Value(string name) =>
        DynamicBroker.TryGetValue(name, out var value) || DynamicDefault.TryGetValue(name, out value) || StaticConfigs.TryGetValue(name, out value)
            ? value
            : BrokerConfigs.ByName.TryGetValue(name, out var definition) ? definition.DefaultValue : null;

    public int Int(string name) => int.Parse(Value(name)!, CultureInfo.InvariantCulture);

    public long Long(string name) => long.Parse(Value(name)!, CultureInfo.InvariantCulture);

    public bool Bool(string name) => bool.Parse(Value(name)!);

    /// <summary>
    /// The names DescribeConfigs lists: for one broker every config Kafka defines and any custom one it holds; for
    /// the cluster default only those set there.
    /// </summary>
    public IEnumerable<string> Names(bool perBroker) => perBroker
        ? BrokerConfigs.All.Select(d => d.Name)
            .Concat(StaticConfigs.Keys.Concat(DynamicDefault.Keys).Concat(DynamicBroker.Keys).Where(n => !BrokerConfigs.ByName.ContainsKey(n)).Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal))
        : DynamicDefault.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// Kafka's synonyms of a broker config (ConfigHelper's <c>configSynonyms</c>): the value of each of its names at
    /// each layer that has one, highest precedence first, from its own name's first entry on. The first is where the
    /// config's value comes from. The cluster default entity (<paramref name="perBroker"/> false) lists only its own.
    /// </summary>
    public IReadOnlyList<ConfigLayerValue> Synonyms(string name, bool perBroker = true)
    {
        var names = BrokerConfigs.Synonyms(name);
        var sensitive = BrokerConfigs.ByName.TryGetValue(name, out var definition) && definition.IsSensitive;
        var all = new List<ConfigLayerValue>();
        Add(DynamicBroker, ConfigLayer.DynamicBroker);
        Add(DynamicDefault, ConfigLayer.DynamicDefault);
        Add(StaticConfigs, ConfigLayer.Static);
        foreach (var synonym in names)
        {
            if (BrokerConfigs.ByName.TryGetValue(synonym, out var d) && d.DefaultValue is { } value)
            {
                all.Add(new ConfigLayerValue(synonym, sensitive ? null : value, ConfigLayer.Default));
            }
        }

        return all
            .SkipWhile(s => s.Name != name)
            .Where(s => perBroker || s.Layer == ConfigLayer.DynamicDefault)
            .ToList();

        void Add(FrozenDictionary<string, string> layer, ConfigLayer source)
        {
            foreach (var synonym in names)
            {
                if (layer.TryGetValue(synonym, out var value))
                {
                    all.Add(new ConfigLayerValue(synonym, sensitive ? null : value, source));
                }
            }
        }
    }

    /// <summary>
    /// The broker-level synonyms of a topic config (ConfigHelper's <c>createTopicConfigEntry</c>): those of the broker
    /// config that supplies its default; empty for a topic config without one.
    /// </summary>
    public IReadOnlyList<ConfigLayerValue> TopicSynonyms(string topicConfig) =>
        BrokerConfigs.TopicDefaultSources.TryGetValue(topicConfig, out var sources) ? Synonyms(sources[0]) : [];

    private FrozenDictionary<string, string> ResolveTopicDefaults()
    {
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (topicConfig, sources) in BrokerConfigs.TopicDefaultSources)
        {
            foreach (var source in sources)
            {
                if (Value(source) is { } value)
                {
                    defaults[topicConfig] = BrokerConfigs.ToTopicValue(source, value);
                    break;
                }
            }
        }

        return defaults.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
