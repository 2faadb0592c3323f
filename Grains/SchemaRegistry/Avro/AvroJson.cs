using System.Reflection;
using Avro;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using AvroSchema = Avro.Schema;

namespace Tributary.Grains.SchemaRegistry.Avro;

/// <summary>
/// Schema text read as JSON no deeper than <see cref="MaxJsonDepth"/>. Apache.Avro reads it with Newtonsoft's default
/// reader, which refuses more than 64 levels: a chain of 16 nested optional records. Real schemas nest far deeper (a
/// record 100 levels down is about 400 levels of JSON), so the text is read here and the token handed to Avro's own
/// <c>ParseJson</c>, which does the rest exactly as <c>Schema.Parse</c> would. The bound stays: every walk of a schema
/// (parsing, canonical form, compatibility) recurses once or more per level, and a hostile schema nested without end
/// must be refused (42201), not exhaust a thread's stack.
/// </summary>
internal static class AvroJson
{
    /// <summary>The deepest nesting of JSON objects and arrays a schema may have: 512, about 128 nested optional records.</summary>
    public const int MaxJsonDepth = 512;

    // Internal to Apache.Avro (Schema.Parse(string) calls it on the token it read); a test parses a deep schema through it.
    private static readonly Func<JToken, SchemaNames, string?, AvroSchema> ParseJson =
        typeof(AvroSchema).GetMethod("ParseJson", BindingFlags.NonPublic | BindingFlags.Static, [typeof(JToken), typeof(SchemaNames), typeof(string)])
            ?.CreateDelegate<Func<JToken, SchemaNames, string?, AvroSchema>>()
        ?? throw new MissingMethodException("Apache.Avro's Schema.ParseJson(JToken, SchemaNames, string) is not there: a new version of Apache.Avro?");

    /// <summary>Parses schema text, as <c>Schema.Parse(json, names, null)</c> does but to <see cref="MaxJsonDepth"/>.</summary>
    public static AvroSchema ParseSchema(string json, SchemaNames names)
    {
        var trimmed = json.Trim();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            // A primitive type's name, or not JSON: Avro's own answer, nothing nested to read.
            return AvroSchema.Parse(json, names, null);
        }

        return ParseJson(Read(trimmed), names, null);
    }

    /// <summary>One JSON value, and nothing after it, read to <see cref="MaxJsonDepth"/>.</summary>
    public static JToken Read(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { MaxDepth = MaxJsonDepth };
        var token = JToken.ReadFrom(reader);
        while (reader.Read())
        {
            if (reader.TokenType != JsonToken.Comment)
            {
                throw new JsonReaderException("Additional text found in the JSON after the schema.");
            }
        }

        return token;
    }
}
