using System.Globalization;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// One topic config as Kafka defines it: name, type, default, the broker config that supplies the default, and
/// the rule a value must satisfy.
/// </summary>
public sealed record TopicConfigDefinition(
    string Name,
    ConfigType Type,
    string DefaultValue,
    string? BrokerSynonym,
    string Documentation,
    Func<string, string?>? Rule = null)
{
    /// <summary>Returns why <paramref name="value"/> is not acceptable, or null when it is.</summary>
    public string? Validate(string value)
    {
        var typeError = Type switch
        {
            ConfigType.Boolean => value is "true" or "false" ? null : "must be true or false",
            ConfigType.Int => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "must be an int",
            ConfigType.Short => short.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "must be a short",
            ConfigType.Long => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "must be a long",
            ConfigType.Double => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "must be a double",
            _ => null,
        };
        return typeError ?? Rule?.Invoke(value);
    }
}
