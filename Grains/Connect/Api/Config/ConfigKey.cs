namespace Tributary.Grains.Connect.Api.Config;

/// <summary>One defined configuration (Kafka's <c>ConfigDef.ConfigKey</c>); <see cref="HasDefault"/> false means required.</summary>
public sealed record ConfigKey(
    string Name,
    ConfigType Type,
    bool HasDefault,
    object? DefaultValue,
    IConfigValidator? Validator,
    Importance Importance,
    string Documentation,
    string? Group,
    int OrderInGroup,
    Width Width,
    string DisplayName,
    IReadOnlyList<string> Dependents,
    IConfigRecommender? Recommender,
    bool Internal);

/// <summary>Checks a parsed value (Kafka's <c>ConfigDef.Validator</c>); throws <see cref="ConfigException"/> when it is wrong.</summary>
public interface IConfigValidator
{
    void EnsureValid(string name, object? value);

    /// <summary>What the validator allows, in Kafka's words, for documentation ("[1,...]", "[none, all]").</summary>
    string Describe() => "";
}

/// <summary>Suggests values and visibility from the other values (Kafka's <c>ConfigDef.Recommender</c>).</summary>
public interface IConfigRecommender
{
    IReadOnlyList<object> ValidValues(string name, IReadOnlyDictionary<string, object?> parsedConfig);

    bool Visible(string name, IReadOnlyDictionary<string, object?> parsedConfig);
}

/// <summary>The outcome of validating one configuration (Kafka's <c>ConfigValue</c>), as <c>config/validate</c> reports it.</summary>
public sealed class ConfigValue(string name)
{
    public string Name { get; } = name;

    public object? Value { get; set; }

    public List<object> RecommendedValues { get; set; } = [];

    public List<string> ErrorMessages { get; } = [];

    public bool Visible { get; set; } = true;

    public void AddErrorMessage(string message) => ErrorMessages.Add(message);
}
