namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>The names in the JSON converter's envelope and schema objects (Kafka's <c>JsonSchema</c>).</summary>
internal static class JsonSchemaFields
{
    public const string EnvelopeSchema = "schema";
    public const string EnvelopePayload = "payload";
    public const string Type = "type";
    public const string Optional = "optional";
    public const string Name = "name";
    public const string Version = "version";
    public const string Doc = "doc";
    public const string Parameters = "parameters";
    public const string Default = "default";
    public const string ArrayItems = "items";
    public const string MapKeys = "keys";
    public const string MapValues = "values";
    public const string StructFields = "fields";
    public const string StructFieldName = "field";

    /// <summary>The JSON type names; float32 and float64 are <c>float</c> and <c>double</c> here, unlike Connect's own names.</summary>
    public const string Float = "float";
    public const string Double = "double";
}
