namespace Tributary.Gateway.Connect;

/// <summary>
/// Kafka's rules for a connector's name (<c>ConnectorConfig</c>'s <c>name</c>, validated as a non-empty string without
/// ISO control characters): names are otherwise free, '/' included, and the REST API trims the name of a create
/// request as Java's <c>String.trim</c> does, so a name of only whitespace is empty.
/// </summary>
internal static class ConnectorNames
{
    /// <summary>What Java's <c>String.trim</c> removes from either end: every character up to U+0020.</summary>
    private static readonly char[] JavaTrimmed = [.. Enumerable.Range(0, 0x21).Select(c => (char)c)];

    /// <summary>The name as <c>POST /connectors</c> takes it: trimmed as Java trims, null as empty.</summary>
    public static string Trim(string? name) => name?.Trim(JavaTrimmed) ?? "";

    /// <summary>
    /// Null for a valid name, else the 400 message Kafka answers for it: its herder's "configuration is invalid" with
    /// the validator's error. A name of only whitespace is refused as empty, whether or not it came trimmed.
    /// </summary>
    public static string? Invalid(string name)
    {
        string error;
        if (Trim(name).Length == 0)
        {
            error = "String may not be empty";
        }
        else
        {
            // Java's Character.isISOControl and .NET's char.IsControl are the same set: U+0000-U+001F, U+007F-U+009F.
            var controls = name.Where(char.IsControl).Select(c => ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (controls.Count == 0)
            {
                return null;
            }

            error = $"String may not contain control sequences but had the following ASCII chars: {string.Join(", ", controls)}";
        }

        return "Connector configuration is invalid and contains the following 1 error(s):\n"
            + $"Invalid value {name} for configuration name: {error}\n"
            + "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`";
    }
}
