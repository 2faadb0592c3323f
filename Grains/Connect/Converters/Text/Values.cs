using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// The part of Kafka's <c>Values</c> that header strings need: <see cref="ParseString"/> infers a schema and value
/// from text, and <see cref="ConvertToString"/> writes a value as text that parses back to it.
/// </summary>
public static class Values
{
    /// <summary>
    /// The typed value <paramref name="value"/> spells; null for the literal <c>null</c> (as Kafka returns it), the
    /// null pair for null text and an empty string for empty text.
    /// </summary>
    public static SchemaAndValue? ParseString(string? value)
    {
        if (value is null)
        {
            return SchemaAndValue.Null;
        }

        if (value.Length == 0)
        {
            return new SchemaAndValue(Schema.String, value);
        }

        return new ValueParser(new ValueTokenizer(value)).Parse(embedded: false);
    }

    /// <summary>The text form of <paramref name="value"/>, whatever its schema; null for null.</summary>
    public static string? ConvertToString(Schema? schema, object? value) => value is null ? null : ValueFormatter.Format(value);
}
