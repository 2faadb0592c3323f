namespace Tributary.Grains.Connect.Api.Config;

/// <summary>A configuration that cannot be used (Kafka's <c>ConfigException</c>), with Kafka's message forms.</summary>
public sealed class ConfigException : ConnectException
{
    public ConfigException(string message) : base(message) { }

    public ConfigException(string name, object? value, string? message = null)
        : base($"Invalid value {Show(value)} for configuration {name}" + (message is null ? "" : ": " + message))
    {
        Name = name;
    }

    /// <summary>The configuration key at fault, when one is.</summary>
    public string? Name { get; }

    // As Java's String.valueOf shows it: a list as [a, b], a password hidden.
    private static string Show(object? value) => value switch
    {
        null => "null",
        Password => Password.Hidden,
        IEnumerable<string> list when value is not string => "[" + string.Join(", ", list) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
