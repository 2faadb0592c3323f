using System.Collections;
using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// Writes a value as the text Kafka's <c>Values.convertToString</c> makes of it, the form header strings take: numbers
/// as Java prints them, bytes as base64, lists <c>[a,b]</c>, maps and structs <c>{"k":v}</c>, dates in ISO-8601.
/// A string stands bare at the top and quoted inside a list or map, with only <c>\</c> and <c>"</c> escaped.
/// </summary>
internal static class ValueFormatter
{
    public static string Format(object value)
    {
        var text = new StringBuilder();
        Append(text, value, embedded: false);
        return text.ToString();
    }

    /// <summary>Kafka's <c>Values.escape</c>: backslashes doubled, then quotes preceded by a backslash.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static void Append(StringBuilder text, object? value, bool embedded)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append(embedded ? "\"" + Escape(s) + "\"" : s);
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case sbyte or short or int or long:
                text.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case float f:
                text.Append(JavaNumberFormat.Float(f));
                break;
            case double d:
                text.Append(JavaNumberFormat.Double(d));
                break;
            case decimal m:
                text.Append(JavaNumberFormat.Decimal(m));
                break;
            case byte[] bytes:
                var base64 = Convert.ToBase64String(bytes);
                text.Append(embedded ? "\"" + base64 + "\"" : base64);
                break;
            case DateTime date:
                text.Append(IsoTemporal.Format(date));
                break;
            case Struct s:
                AppendStruct(text, s);
                break;
            case IDictionary map:
                text.Append('{');
                var firstEntry = true;
                foreach (DictionaryEntry entry in map)
                {
                    if (!firstEntry)
                    {
                        text.Append(',');
                    }

                    firstEntry = false;
                    Append(text, entry.Key, embedded: true);
                    text.Append(':');
                    Append(text, entry.Value, embedded: true);
                }

                text.Append('}');
                break;
            case IList list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Append(text, list[i], embedded: true);
                }

                text.Append(']');
                break;
            default:
                throw new DataException($"Failed to serialize unexpected value type {value.GetType().FullName}: {value}");
        }
    }

    /// <summary>A struct as a map of its field names to values, defaults filled in, as Kafka writes it.</summary>
    private static void AppendStruct(StringBuilder text, Struct value)
    {
        text.Append('{');
        var first = true;
        foreach (var field in value.Schema.Fields)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            Append(text, field.Name, embedded: true);
            text.Append(':');
            Append(text, value.Get(field), embedded: true);
        }

        text.Append('}');
    }
}
