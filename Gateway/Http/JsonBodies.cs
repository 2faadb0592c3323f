using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Tributary.Gateway.Http;

/// <summary>
/// JSON options for reading request bodies: an API's own options with the nesting its settings allow
/// (System.Text.Json's <see cref="JsonSerializerOptions.MaxDepth"/>, 64 by default, refuses what real Avro data nested
/// a hundred records deep looks like). Made once per options and depth.
/// </summary>
public static class JsonBodies
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, ConcurrentDictionary<int, JsonSerializerOptions>> Derived = new();

    public static JsonSerializerOptions WithMaxDepth(JsonSerializerOptions options, int maxDepth) =>
        Derived.GetOrCreateValue(options).GetOrAdd(maxDepth, depth => new JsonSerializerOptions(options) { MaxDepth = depth });
}
