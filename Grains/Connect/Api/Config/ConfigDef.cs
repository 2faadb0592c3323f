using System.Globalization;

namespace Tributary.Grains.Connect.Api.Config;

/// <summary>
/// The configurations a plug-in takes (Kafka's <c>ConfigDef</c>): names, types, defaults, validators, documentation
/// and UI hints. <see cref="Parse"/> turns string properties into typed values or throws the first problem;
/// <see cref="Validate"/> reports every problem per key, as Connect's <c>config/validate</c> shows them. Keys that are
/// not defined pass through <see cref="Parse"/> untouched in <see cref="ParsedConfig.Originals"/>.
/// </summary>
public sealed class ConfigDef
{
    private readonly Dictionary<string, ConfigKey> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _groups = [];

    public IReadOnlyDictionary<string, ConfigKey> ConfigKeys => _keys;

    /// <summary>Groups in the order their first key was defined.</summary>
    public IReadOnlyList<string> Groups => _groups;

    public ConfigDef Define(
        string name, ConfigType type, Importance importance, string documentation,
        object? defaultValue = null, bool required = false, IConfigValidator? validator = null,
        string? group = null, int orderInGroup = -1, Width width = Width.None, string? displayName = null,
        IReadOnlyList<string>? dependents = null, IConfigRecommender? recommender = null, bool @internal = false)
    {
        if (_keys.ContainsKey(name))
        {
            throw new ConfigException("Configuration " + name + " is defined twice.");
        }

        var hasDefault = !required;
        object? parsedDefault = null;
        if (hasDefault && defaultValue is not null)
        {
            parsedDefault = defaultValue is string text ? ParseType(name, text, type) : defaultValue;
            validator?.EnsureValid(name, parsedDefault);
        }

        if (group is not null && !_groups.Contains(group))
        {
            _groups.Add(group);
        }

        _keys[name] = new ConfigKey(
            name, type, hasDefault, parsedDefault, validator, importance, documentation, group, orderInGroup, width,
            displayName ?? name, dependents ?? [], recommender, @internal);
        return this;
    }

    /// <summary>Every key of <paramref name="other"/> added to this definition.</summary>
    public ConfigDef Include(ConfigDef other)
    {
        foreach (var key in other._keys.Values)
        {
            _keys.TryAdd(key.Name, key);
            if (key.Group is not null && !_groups.Contains(key.Group))
            {
                _groups.Add(key.Group);
            }
        }

        return this;
    }

    /// <summary>Typed values of every defined key; throws <see cref="ConfigException"/> for the first missing or invalid one.</summary>
    public ParsedConfig Parse(IReadOnlyDictionary<string, string> properties)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in _keys.Values)
        {
            values[key.Name] = ParseValue(key, properties);
        }

        return new ParsedConfig(values, properties);
    }

    /// <summary>Each defined key's value, recommended values, visibility and every error (Kafka's <c>validate</c>).</summary>
    public IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> properties)
    {
        var parsed = new Dictionary<string, object?>(StringComparer.Ordinal);
        var results = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var key in _keys.Values)
        {
            var result = new ConfigValue(key.Name);
            results[key.Name] = result;
            try
            {
                var value = ParseValue(key, properties);
                parsed[key.Name] = value;
                result.Value = value;
            }
            catch (ConfigException e)
            {
                result.Value = properties.GetValueOrDefault(key.Name);
                result.AddErrorMessage(e.Message);
            }
        }

        foreach (var key in _keys.Values.Where(k => k.Recommender is not null))
        {
            var result = results[key.Name];
            try
            {
                result.RecommendedValues = [.. key.Recommender!.ValidValues(key.Name, parsed)];
                result.Visible = key.Recommender.Visible(key.Name, parsed);
                if (result.ErrorMessages.Count == 0 && result.RecommendedValues.Count > 0 && result.Value is not null &&
                    !result.RecommendedValues.Any(v => Equals(v, result.Value)))
                {
                    result.AddErrorMessage($"Invalid value {result.Value} for configuration {key.Name}: Value not in the recommended values");
                }
            }
            catch (ConfigException e)
            {
                result.AddErrorMessage(e.Message);
            }
        }

        return [.. _keys.Keys.Select(k => results[k])];
    }

    /// <summary>Parses one string as a value of <paramref name="type"/> with Kafka's messages.</summary>
    public static object? ParseType(string name, string? text, ConfigType type)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        switch (type)
        {
            case ConfigType.Boolean:
                if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                throw new ConfigException(name, text, "Expected value to be either true or false");
            case ConfigType.String:
                return trimmed;
            case ConfigType.Password:
                return new Password(trimmed);
            case ConfigType.Int:
                return int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                    ? i
                    : throw new ConfigException(name, text, "Not a number of type INT");
            case ConfigType.Short:
                return short.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
                    ? s
                    : throw new ConfigException(name, text, "Not a number of type SHORT");
            case ConfigType.Long:
                return long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                    ? l
                    : throw new ConfigException(name, text, "Not a number of type LONG");
            case ConfigType.Double:
                return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : throw new ConfigException(name, text, "Not a number of type DOUBLE");
            case ConfigType.List:
                return trimmed.Length == 0
                    ? (IReadOnlyList<string>)[]
                    : [.. trimmed.Split(',').Select(p => p.Trim())];
            case ConfigType.Class:
                return trimmed;
            default:
                throw new ConfigException("Unknown type " + type);
        }
    }

    private static object? ParseValue(ConfigKey key, IReadOnlyDictionary<string, string> properties)
    {
        object? value;
        if (properties.TryGetValue(key.Name, out var text))
        {
            value = ParseType(key.Name, text, key.Type);
        }
        else if (!key.HasDefault)
        {
            throw new ConfigException($"Missing required configuration \"{key.Name}\" which has no default value.");
        }
        else
        {
            value = key.DefaultValue;
        }

        key.Validator?.EnsureValid(key.Name, value);
        return value;
    }
}
