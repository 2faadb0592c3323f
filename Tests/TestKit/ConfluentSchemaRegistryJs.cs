using System.Text.Json;

namespace Tributary.Tests.TestKit;

/// <summary>
/// Confluent's JavaScript Schema Registry client and serdes (<c>@confluentinc/schemaregistry</c>, with
/// <c>@bufbuild/protobuf</c>), driven from tests: its Protobuf serializer and deserializer are Confluent's own, where
/// the .NET Protobuf serdes are not available. Installed into <c>.tools</c> from npm on first use.
/// </summary>
public static class ConfluentSchemaRegistryJs
{
    public const string Version = "1.10.1";

    /// <summary>Runs <paramref name="script"/> with the library on <c>NODE_PATH</c>; its stdout as JSON.</summary>
    public static async Task<JsonElement> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var modules = await Prerequisites.NpmLibraryAsync("@confluentinc/schemaregistry", Version);
        return await NodeScript.RunAsync(modules, script, environment, timeout ?? TimeSpan.FromSeconds(120));
    }
}
