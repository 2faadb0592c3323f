using System.Text;

namespace Tributary.Tests.SchemaRegistry;

/// <summary>Avro schemas nested as deep as asked: what real schemas of deeply nested records look like.</summary>
public static class DeepSchemas
{
    /// <summary>
    /// Record R0 whose optional field holds R1, and so on to R<paramref name="records"/>-1 with an int: four levels of
    /// JSON per record (the record, its fields, the field, the union), as Java Avro writes such a schema.
    /// </summary>
    public static string Records(int records)
    {
        var text = new StringBuilder();
        for (var i = 0; i < records; i++)
        {
            text.Append("{\"type\":\"record\",\"name\":\"R").Append(i).Append("\",\"fields\":[{\"name\":\"f\",\"type\":[\"null\",");
        }

        text.Append("\"int\"");
        for (var i = 0; i < records; i++)
        {
            text.Append("],\"default\":null}]}");
        }

        return text.ToString();
    }

    /// <summary>The deepest nesting of objects and arrays in <paramref name="json"/>.</summary>
    public static int JsonDepth(string json)
    {
        int depth = 0, deepest = 0;
        var quoted = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c is '{' or '[')
            {
                deepest = Math.Max(deepest, ++depth);
            }
            else if (c is '}' or ']')
            {
                depth--;
            }
        }

        return deepest;
    }
}
