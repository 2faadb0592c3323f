using System.Globalization;

namespace Tributary.Tests.Perf;

/// <summary><c>--name value</c> pairs from the command line.</summary>
internal sealed class Arguments(Dictionary<string, string> values)
{
    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Arguments(values);
    }

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>
    /// <c>--client k=v,k=v</c>: librdkafka settings for the clients a scenario builds (security.protocol, sasl.*,
    /// ssl.*), so that the same scenario runs against any listener.
    /// </summary>
    public Dictionary<string, string> Client() =>
        String("client", "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(setting => setting.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : throw new ArgumentException($"--client setting '{pair[0]}' is not key=value."));

    public string String(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
