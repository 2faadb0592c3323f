using System.Globalization;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// One broker config as Kafka defines it (KafkaConfig): name, type, default (null where Kafka has none), whether it
/// can be changed at runtime here, and the rule a value must satisfy. Values are checked with Kafka's wording
/// (ConfigDef: "Invalid value x for configuration y: Not a number of type LONG").
/// </summary>
public sealed record BrokerConfigDefinition(
    string Name,
    ConfigType Type,
    string? DefaultValue,
    string Documentation,
    bool IsDynamic = false,
    Func<string, string?>? Rule = null)
{
    public bool IsSensitive => Type == ConfigType.Password;

    /// <summary>Returns Kafka's message for why <paramref name="value"/> is not acceptable, or null when it is.</summary>
    public string? Validate(string value)
    {
        var trimmed = value.Trim();
        var typeError = Type switch
        {
            ConfigType.Boolean => trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? null
                : "Expected value to be either true or false",
            ConfigType.Int => int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type INT",
            ConfigType.Short => short.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type SHORT",
            ConfigType.Long => long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type LONG",
            ConfigType.Double => double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type DOUBLE",
            _ => null,
        };
        var error = typeError ?? Rule?.Invoke(trimmed);
        return error is null ? null : $"Invalid value {value} for configuration {Name}: {error}";
    }
}
