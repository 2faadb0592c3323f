using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// How field paths are read (Kafka's <c>FieldSyntaxVersion</c>, KIP-821): <see cref="V1"/> takes the whole text as
/// one top-level field name, as before KIP-821; <see cref="V2"/> reads dotted paths into nested structs and maps, with
/// backticks around names that contain dots.
/// </summary>
public enum FieldSyntaxVersion
{
    V1,
    V2,
}

/// <summary>The <c>field.syntax.version</c> configuration that transforms supporting nested fields add.</summary>
public static class FieldSyntax
{
    public const string ConfigName = "field.syntax.version";
    public const string DefaultValue = "V1";

    public const string Doc =
        "Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements " +
        "at the root level of the struct or map. If set to `V2`, the syntax will support accessing nested elements. To access nested " +
        "elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap " +
        "field names containing dots. E.g. to access the subfield `baz` from a field named \"foo.bar\" in a struct/map the following " +
        "format can be used to access its elements: \"`foo.bar`.baz\".";

    /// <summary>Adds <c>field.syntax.version</c> (default V1, any case) to <paramref name="configDef"/>.</summary>
    public static ConfigDef AppendConfigTo(ConfigDef configDef) =>
        configDef.Define(ConfigName, ConfigType.String, Importance.High, Doc, DefaultValue, validator: Validators.InIgnoringCase("V1", "V2"));

    public static FieldSyntaxVersion FromConfig(ParsedConfig config)
    {
        var text = config.GetString(ConfigName);
        return text?.ToUpperInvariant() switch
        {
            "V1" => FieldSyntaxVersion.V1,
            "V2" => FieldSyntaxVersion.V2,
            _ => throw new ConfigException(ConfigName, text, "Unrecognized field syntax version"),
        };
    }
}
