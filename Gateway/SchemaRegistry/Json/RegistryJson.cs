using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>The request and response bodies of Confluent's Schema Registry API, by its field names.</summary>
internal static class RegistryJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,

        // Schemas are JSON inside JSON: quotes escaped as \" (as Confluent writes them), not \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
