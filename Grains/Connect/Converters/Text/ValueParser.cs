using System.Numerics;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// Reads header text into a typed value the way Kafka's <c>Values.ValueParser</c> does: <c>true</c>/<c>false</c>,
/// <c>null</c>, numbers (the narrowest integer type, else float32 if finite, else float64, else Decimal), ISO dates,
/// times and timestamps, <c>[...]</c> lists and <c>{k:v}</c> maps of such values with quoted strings inside. Text
/// that is none of these, or a list or map that does not parse, is the original string.
/// </summary>
internal sealed class ValueParser(ValueTokenizer tokenizer)
{
    private const string Quote = "\"";
    private const string Comma = ",";
    private const string EntryDelimiter = ":";
    private const string ArrayBegin = "[";
    private const string ArrayEnd = "]";
    private const string MapBegin = "{";
    private const string MapEnd = "}";

    private static readonly SchemaAndValue True = new(Schema.Boolean, true);
    private static readonly SchemaAndValue False = new(Schema.Boolean, false);

    /// <summary>The next value; null for the literal <c>null</c> or when nothing is left.</summary>
    public SchemaAndValue? Parse(bool embedded)
    {
        if (!tokenizer.HasNext())
        {
            return null;
        }

        if (embedded && tokenizer.CanConsume(Quote))
        {
            return ParseQuotedString();
        }

        if (CanParseSingleTokenLiteral(embedded, "null"))
        {
            return null;
        }

        if (CanParseSingleTokenLiteral(embedded, "true"))
        {
            return True;
        }

        if (CanParseSingleTokenLiteral(embedded, "false"))
        {
            return False;
        }

        var start = tokenizer.Mark();
        try
        {
            if (tokenizer.CanConsume(ArrayBegin))
            {
                return ParseArray();
            }

            if (tokenizer.CanConsume(MapBegin))
            {
                return ParseMap();
            }
        }
        catch (DataException)
        {
            // Not a well-formed list or map after all: read it as text instead.
            tokenizer.RewindTo(start);
        }

        var token = tokenizer.Next();
        return JavaText.IsBlank(token) ? new SchemaAndValue(Schema.String, token) : ParseNextToken(embedded, JavaText.Trim(token));
    }

    /// <summary>
    /// A literal counts only if it stands alone at the top (<c>true}</c> is a string) or anywhere inside a list or map,
    /// where the caller deals with what follows.
    /// </summary>
    private bool CanParseSingleTokenLiteral(bool embedded, string literal)
    {
        var start = tokenizer.Mark();
        if (tokenizer.CanConsume(literal) && (embedded || !tokenizer.HasNext()))
        {
            return true;
        }

        tokenizer.RewindTo(start);
        return false;
    }

    private SchemaAndValue ParseNextToken(bool embedded, string token)
    {
        var firstIsDigit = char.IsDigit(token[0]);
        if (firstIsDigit && ParseMultipleTokensAsTemporal(token) is { } temporal)
        {
            return temporal;
        }

        if ((firstIsDigit || token[0] is '+' or '-') && JavaDecimal.TryParse(token, out var unscaled, out var scale))
        {
            return ParseAsNumber(unscaled, scale);
        }

        if (embedded)
        {
            throw new DataException("Failed to parse embedded value");
        }

        return new SchemaAndValue(Schema.String, tokenizer.Original);
    }

    private SchemaAndValue ParseQuotedString()
    {
        var content = new System.Text.StringBuilder();
        while (tokenizer.HasNext())
        {
            if (tokenizer.CanConsume(Quote))
            {
                break;
            }

            content.Append(tokenizer.Next());
        }

        var text = content.ToString();
        return IsoTemporal.Parse(text) ?? new SchemaAndValue(Schema.String, text);
    }

    private SchemaAndValue ParseArray()
    {
        var result = new List<object?>();
        var elementSchema = new SchemaMerger();
        while (tokenizer.HasNext())
        {
            if (tokenizer.CanConsume(ArrayEnd))
            {
                if (!elementSchema.HasCommonSchema)
                {
                    // Every element is null: an array whose element schema is unknown.
                    return new SchemaAndValue(new SchemaBuilder(SchemaType.Array).Build(), result);
                }

                var listSchema = SchemaBuilder.Array(elementSchema.Schema!).Build();
                return new SchemaAndValue(listSchema, result.Select(e => ValueCoercion.ConvertTo(elementSchema.Schema!, e)).ToList());
            }

            if (tokenizer.CanConsume(Comma))
            {
                throw new DataException("Unable to parse an empty array element: " + tokenizer.Original);
            }

            var element = Parse(embedded: true);
            elementSchema.Merge(element);
            result.Add(element?.Value);

            var position = tokenizer.Mark();
            if (tokenizer.CanConsume(ArrayEnd))
            {
                tokenizer.RewindTo(position);
            }
            else if (!tokenizer.CanConsume(Comma))
            {
                throw new DataException("Array elements missing ',' delimiter");
            }
        }

        if (tokenizer.Previous == Comma)
        {
            throw new DataException("Array is missing element after ',': " + tokenizer.Original);
        }

        throw new DataException("Array is missing terminating ']': " + tokenizer.Original);
    }

    private SchemaAndValue ParseMap()
    {
        var result = new Dictionary<object, object?>();
        var keySchema = new SchemaMerger();
        var valueSchema = new SchemaMerger();
        while (tokenizer.HasNext())
        {
            if (tokenizer.CanConsume(MapEnd))
            {
                return BuildMap(result, keySchema, valueSchema);
            }

            if (tokenizer.CanConsume(Comma))
            {
                throw new DataException("Unable to parse a map entry with no key or value: " + tokenizer.Original);
            }

            var key = Parse(embedded: true);
            if (key?.Value is null)
            {
                throw new DataException("Map entry may not have a null key: " + tokenizer.Original);
            }

            if (!tokenizer.CanConsume(EntryDelimiter))
            {
                throw new DataException($"Map entry is missing '{EntryDelimiter}' at {tokenizer.Position} in {tokenizer.Original}");
            }

            var value = Parse(embedded: true);
            result[key.Value] = value?.Value;
            tokenizer.CanConsume(Comma);
            keySchema.Merge(key);
            valueSchema.Merge(value);
        }

        if (tokenizer.Previous == Comma)
        {
            throw new DataException("Map is missing element after ',': " + tokenizer.Original);
        }

        throw new DataException("Map is missing terminating '}': " + tokenizer.Original);
    }

    private static SchemaAndValue BuildMap(Dictionary<object, object?> entries, SchemaMerger keySchema, SchemaMerger valueSchema)
    {
        if (!keySchema.HasCommonSchema)
        {
            return new SchemaAndValue(new SchemaBuilder(SchemaType.Map).Build(), entries);
        }

        var keys = keySchema.Schema!;
        var values = valueSchema.Schema;
        var aligned = new Dictionary<object, object?>();
        foreach (var (key, value) in entries)
        {
            aligned[ValueCoercion.ConvertTo(keys, key)!] = values is null ? value : ValueCoercion.ConvertTo(values, value);
        }

        return new SchemaAndValue(SchemaBuilder.Map(keys, values!).Build(), aligned);
    }

    /// <summary>A time or timestamp arrives as five tokens split at its colons; try those first, then the token alone.</summary>
    private SchemaAndValue? ParseMultipleTokensAsTemporal(string token)
    {
        var position = tokenizer.Mark();
        if (tokenizer.Next(4) is { } remainder && IsoTemporal.Parse(token + remainder) is { } temporal)
        {
            return temporal;
        }

        tokenizer.RewindTo(position);
        return IsoTemporal.Parse(token);
    }

    /// <summary>
    /// A whole number takes the narrowest of int8..int64; a number with a fraction (or a whole one beyond int64
    /// written with an exponent) float32 if it stays finite there, else float64; what is left becomes a Decimal.
    /// </summary>
    private static SchemaAndValue ParseAsNumber(BigInteger unscaled, int scale)
    {
        if (AsExactInteger(unscaled, scale) is { } exact)
        {
            return exact;
        }

        var text = unscaled.ToString(System.Globalization.CultureInfo.InvariantCulture) + "E" + (-(long)scale).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var single = float.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (!float.IsInfinity(single) && scale != 0)
        {
            return new SchemaAndValue(Schema.Float32, single);
        }

        var dbl = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (!double.IsInfinity(dbl) && scale != 0)
        {
            return new SchemaAndValue(Schema.Float64, dbl);
        }

        return new SchemaAndValue(LogicalTypes.Decimal(scale).Build(), JavaDecimal.ToDecimal(unscaled, scale));
    }

    private static SchemaAndValue? AsExactInteger(BigInteger unscaled, int scale)
    {
        // Drop trailing zeros of the fraction (1.500 is 1.5, 1.0 is 1); a fraction left over means not whole.
        while (scale > 0 && !unscaled.IsZero && (unscaled % 10).IsZero)
        {
            unscaled /= 10;
            scale--;
        }

        if (unscaled.IsZero)
        {
            return new SchemaAndValue(Schema.Int8, (sbyte)0);
        }

        if (scale > 0 || scale < -19)
        {
            return null;
        }

        var integral = unscaled * BigInteger.Pow(10, -scale);
        if (integral < long.MinValue || integral > long.MaxValue)
        {
            return null;
        }

        var value = (long)integral;
        return value switch
        {
            >= sbyte.MinValue and <= sbyte.MaxValue => new SchemaAndValue(Schema.Int8, (sbyte)value),
            >= short.MinValue and <= short.MaxValue => new SchemaAndValue(Schema.Int16, (short)value),
            >= int.MinValue and <= int.MaxValue => new SchemaAndValue(Schema.Int32, (int)value),
            _ => new SchemaAndValue(Schema.Int64, value),
        };
    }
}
