using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters;

/// <summary>
/// The configuration every converter shares (Kafka's <c>ConverterConfig</c>): <c>converter.type</c>, required and one
/// of key, value or header, which the runtime sets; and the helpers that set it the way Kafka's converters do.
/// </summary>
public static class ConverterConfig
{
    public const string TypeConfig = ConverterTypes.ConfigName;

    /// <summary>A new definition holding only <c>converter.type</c>, for a converter to add its own keys to.</summary>
    public static ConfigDef NewConfigDef() => new ConfigDef().Define(
        TypeConfig, ConfigType.String, Importance.Low, "How this converter will be used.",
        required: true, validator: Validators.In("key", "value", "header"));

    /// <summary>The configs with <c>converter.type</c> set to key or value, as Kafka's <c>configure(configs, isKey)</c> does.</summary>
    public static IReadOnlyDictionary<string, string> WithType(IReadOnlyDictionary<string, string> configs, bool isKey) =>
        WithType(configs, isKey ? ConverterType.Key : ConverterType.Value);

    public static IReadOnlyDictionary<string, string> WithType(IReadOnlyDictionary<string, string> configs, ConverterType type)
    {
        var copy = new Dictionary<string, string>(configs, StringComparer.Ordinal) { [TypeConfig] = type.Name() };
        return copy;
    }

    /// <summary>
    /// The configs a header converter is configured with; Kafka's worker always adds <c>converter.type=header</c>, so a
    /// caller that leaves it out gets that rather than a missing-configuration error.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForHeader(IReadOnlyDictionary<string, string> configs) =>
        configs.ContainsKey(TypeConfig) ? configs : WithType(configs, ConverterType.Header);

    /// <summary>The parsed <c>converter.type</c>.</summary>
    public static ConverterType TypeOf(ParsedConfig config) => config.GetString(TypeConfig) switch
    {
        "key" => ConverterType.Key,
        "value" => ConverterType.Value,
        _ => ConverterType.Header,
    };
}
