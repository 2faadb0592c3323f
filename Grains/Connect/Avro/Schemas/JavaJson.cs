using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// JSON text as Jackson writes it for Java's Avro <c>Schema.toString()</c>: compact, strings escaped only where JSON
/// requires, floating-point numbers in Java's <c>Double.toString</c>/<c>Float.toString</c> form; so the schemas
/// registered match those Confluent's converter registers for the same Connect schema.
/// </summary>
internal static class JavaJson
{
    public static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (ch < 0x20)
                    {
                        text.Append("\\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(ch);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    public static void WriteNode(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    WriteString(text, key);
                    text.Append(':');
                    WriteNode(text, value);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    WriteNode(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonValue value:
                WriteValue(text, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder text, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            // Parsed from the registry: the token as it was written.
            if (element.ValueKind == JsonValueKind.String)
            {
                WriteString(text, element.GetString()!);
            }
            else
            {
                text.Append(element.GetRawText());
            }
        }
        else if (value.TryGetValue<string>(out var s))
        {
            WriteString(text, s);
        }
        else if (value.TryGetValue<bool>(out var b))
        {
            text.Append(b ? "true" : "false");
        }
        else if (value.TryGetValue<double>(out var d))
        {
            text.Append(Double(d));
        }
        else if (value.TryGetValue<float>(out var f))
        {
            text.Append(Float(f));
        }
        else
        {
            text.Append(value.ToJsonString());
        }
    }

    /// <summary>Java's <c>Double.toString</c>: shortest round-trip digits, plain between 10^-3 and 10^7, else d.dddE±n.</summary>
    public static string Double(double value) =>
        double.IsNaN(value) ? "NaN" :
        double.IsPositiveInfinity(value) ? "Infinity" :
        double.IsNegativeInfinity(value) ? "-Infinity" :
        Layout(value.ToString("R", CultureInfo.InvariantCulture), Math.Abs(value));

    public static string Float(float value) =>
        float.IsNaN(value) ? "NaN" :
        float.IsPositiveInfinity(value) ? "Infinity" :
        float.IsNegativeInfinity(value) ? "-Infinity" :
        Layout(value.ToString("R", CultureInfo.InvariantCulture), Math.Abs(value));

    private static string Layout(string roundTrip, double magnitude)
    {
        // The shortest digits and the decimal exponent of the round-trip form, laid out as Java does.
        var negative = roundTrip.StartsWith('-');
        var body = negative ? roundTrip[1..] : roundTrip;
        var exponent = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var dot = body.IndexOf('.');
        var intPart = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? "" : body[(dot + 1)..];
        var all = intPart + fraction;
        var digits = all.TrimStart('0');
        var pointAt = intPart.Length + exponent - (all.Length - digits.Length);
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        string result;
        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            if (pointAt <= 0)
            {
                result = "0." + new string('0', -pointAt) + digits;
            }
            else if (pointAt >= digits.Length)
            {
                result = digits + new string('0', pointAt - digits.Length) + ".0";
            }
            else
            {
                result = digits[..pointAt] + "." + digits[pointAt..];
            }
        }
        else
        {
            var mantissa = digits.Length == 1 ? digits + ".0" : digits[..1] + "." + digits[1..];
            result = mantissa + "E" + (pointAt - 1).ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + result : result;
    }
}
