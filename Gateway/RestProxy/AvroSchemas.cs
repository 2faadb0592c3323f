using System.Reflection;
using Avro;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// Avro schema text parsed as the registry parses it: as JSON up to <see cref="MaxJsonDepth"/> levels, where Apache.Avro's
/// own <c>Schema.Parse</c> reads it with Newtonsoft's default of 64 levels (16 nested optional records) and would refuse
/// a schema the registry stored. The registry holds schemas to the same bound, so every schema it has is parsed here.
/// </summary>
internal static class AvroSchemas
{
    /// <summary>The registry's bound on a schema's nesting: 512 levels of JSON, about 128 nested optional records.</summary>
    public const int MaxJsonDepth = 512;

    // Internal to Apache.Avro (Schema.Parse(string) calls it on the token it read).
    private static readonly Func<JToken, SchemaNames, string?, Schema> ParseJson =
        typeof(Schema).GetMethod("ParseJson", BindingFlags.NonPublic | BindingFlags.Static, [typeof(JToken), typeof(SchemaNames), typeof(string)])
            ?.CreateDelegate<Func<JToken, SchemaNames, string?, Schema>>()
        ?? throw new MissingMethodException("Apache.Avro's Schema.ParseJson(JToken, SchemaNames, string) is not there: a new version of Apache.Avro?");

    /// <summary>Parses schema text as <c>Schema.Parse(json)</c> does, to <see cref="MaxJsonDepth"/> levels.</summary>
    public static Schema Parse(string json)
    {
        var trimmed = json.Trim();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            return Schema.Parse(json);
        }

        using var reader = new JsonTextReader(new StringReader(trimmed)) { MaxDepth = MaxJsonDepth };
        return ParseJson(JToken.ReadFrom(reader), new SchemaNames(), null);
    }
}
