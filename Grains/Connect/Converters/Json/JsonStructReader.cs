using System.Globalization;
using System.Text;
using System.Text.Json;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Reads an envelope's payload straight from its bytes into a struct whose fields are all flat (numbers, booleans,
/// strings, bytes, and the Date, Time, Timestamp and Decimal logical types), without building a document: the shape of nearly every
/// table row a sink connector reads. It gives the value <see cref="JsonToConnect"/> gives for the same bytes, or
/// declines: anything it does not read exactly as that path does (a value of the wrong kind, a number that is not a
/// plain 64-bit integer where one is wanted, a required field that is null or missing, bytes System.Text.Json refuses)
/// is left to that path, which also gives Kafka's errors.
/// </summary>
internal sealed class JsonStructReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 999 };

    private readonly FlatField[] _fields;
    private readonly bool _replaceNullWithDefault;

    private JsonStructReader(Schema schema, FlatField[] fields, bool replaceNullWithDefault)
    {
        Schema = schema;
        _fields = fields;
        _replaceNullWithDefault = replaceNullWithDefault;
    }

    public Schema Schema { get; }

    /// <summary>A reader for <paramref name="schema"/>, or null when it is not a struct of flat fields.</summary>
    public static JsonStructReader? For(Schema? schema, JsonConverterConfig config)
    {
        if (schema is not { Type: SchemaType.Struct } || schema.Name is { } name && JsonLogicalTypes.IsLogical(name))
        {
            return null;
        }

        var fields = new FlatField[schema.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = schema.Fields[i];
            if (KindOf(field.Schema) is not { } kind)
            {
                return null;
            }

            fields[i] = new FlatField(field, Encoding.UTF8.GetBytes(field.Name), kind);
        }

        return new JsonStructReader(schema, fields, config.ReplaceNullWithDefault);
    }

    /// <summary>The struct of <paramref name="payload"/>, or false to leave it to the document path.</summary>
    public bool TryRead(ReadOnlySpan<byte> payload, out Struct? value)
    {
        value = null;
        var result = new Struct(Schema);
        // Per field: whether a value was put (a repeated member counts as its last occurrence, as Jackson keeps it).
        Span<bool> put = _fields.Length <= 256 ? stackalloc bool[_fields.Length] : new bool[_fields.Length];
        try
        {
            var reader = new Utf8JsonReader(payload, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var next = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOf(ref reader, next);
                reader.Read();
                if (index < 0)
                {
                    // A member the schema does not name is ignored, as the document path ignores it.
                    reader.Skip();
                    continue;
                }

                if (!TryReadValue(ref reader, _fields[index], out var fieldValue))
                {
                    return false;
                }

                put[index] = fieldValue is not null;
                if (fieldValue is not null)
                {
                    result.Put(_fields[index].Field, fieldValue);
                }

                next = index + 1;
            }

            // The object's end, then nothing but whitespace: the reader refuses anything else.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        for (var i = 0; i < _fields.Length; i++)
        {
            if (put[i])
            {
                continue;
            }

            if (!TryNullValue(_fields[i].Field.Schema, out var nullValue))
            {
                return false;
            }

            result.Put(_fields[i].Field, nullValue);
        }

        value = result;
        return true;
    }

    /// <summary>The field the member names: members usually come in the schema's order, so the next field is tried first.</summary>
    private int IndexOf(ref Utf8JsonReader reader, int next)
    {
        if (next < _fields.Length && reader.ValueTextEquals(_fields[next].Utf8Name))
        {
            return next;
        }

        for (var i = 0; i < _fields.Length; i++)
        {
            if (i != next && reader.ValueTextEquals(_fields[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A null or missing value: the default (with <c>replace.null.with.default</c>), else null when optional.</summary>
    private bool TryNullValue(Schema schema, out object? value)
    {
        value = _replaceNullWithDefault ? schema.DefaultValue : null;
        return value is not null || schema.IsOptional;
    }

    /// <summary>A member's value; a JSON null is kept as null and resolved with the missing ones.</summary>
    private static bool TryReadValue(ref Utf8JsonReader reader, FlatField field, out object? value)
    {
        value = null;
        var kind = field.Kind;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.True or JsonTokenType.False when kind == FlatKind.Boolean:
                value = reader.TokenType == JsonTokenType.True;
                return true;
            case JsonTokenType.String when kind == FlatKind.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.String when kind is FlatKind.Bytes or FlatKind.Decimal:
                return TryReadBase64(ref reader, field, out value);
            case JsonTokenType.Number:
                return TryReadNumber(ref reader, kind, out value);
            default:
                return false;
        }
    }

    private static bool TryReadNumber(ref Utf8JsonReader reader, FlatKind kind, out object? value)
    {
        value = null;
        var token = reader.ValueSpan;
        if (kind == FlatKind.Float64)
        {
            value = double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
            return true;
        }

        if (kind == FlatKind.Float32)
        {
            value = float.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
            return true;
        }

        // Integers only as plain 64-bit tokens; a fraction, an exponent or a larger number takes the exact path.
        if (token.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 || !reader.TryGetInt64(out var integer))
        {
            return false;
        }

        switch (kind)
        {
            case FlatKind.Int8:
                value = unchecked((sbyte)(int)integer);
                return true;
            case FlatKind.Int16:
                value = unchecked((short)(int)integer);
                return true;
            case FlatKind.Int32:
                value = unchecked((int)integer);
                return true;
            case FlatKind.Int64:
                value = integer;
                return true;
            case FlatKind.Timestamp when integer is > -62_135_596_800_000L and < 253_402_300_800_000L:
                value = LogicalTypes.ToTimestamp(integer);
                return true;
            case FlatKind.Date when integer is >= int.MinValue and <= int.MaxValue && (int)integer is > -719_162 and < 2_932_897:
                value = LogicalTypes.ToDate((int)integer);
                return true;
            case FlatKind.Time when integer is >= 0 and <= 24L * 60 * 60 * 1000:
                value = LogicalTypes.ToTime((int)integer);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Bytes, and a Decimal's unscaled bytes (<c>decimal.format=BASE64</c>), as base64; a Decimal written as a number takes the exact path.</summary>
    private static bool TryReadBase64(ref Utf8JsonReader reader, FlatField field, out object? value)
    {
        value = null;
        if (!reader.TryGetBytesFromBase64(out var bytes))
        {
            return false;
        }

        if (field.Kind == FlatKind.Bytes)
        {
            value = bytes;
            return true;
        }

        try
        {
            value = LogicalTypes.ToDecimal(field.Field.Schema, bytes);
            return true;
        }
        catch (Exception e) when (e is DataException or InvalidOperationException or FormatException or OverflowException)
        {
            return false;
        }
    }

    private static FlatKind? KindOf(Schema schema)
    {
        if (schema.Name is { } name && JsonLogicalTypes.IsLogical(name))
        {
            // The document path picks a logical type by name alone, whatever the schema's type.
            return name switch
            {
                LogicalTypes.TimestampName => FlatKind.Timestamp,
                LogicalTypes.DateName => FlatKind.Date,
                LogicalTypes.TimeName => FlatKind.Time,
                _ => FlatKind.Decimal,
            };
        }

        return schema.Type switch
        {
            SchemaType.Boolean => FlatKind.Boolean,
            SchemaType.Int8 => FlatKind.Int8,
            SchemaType.Int16 => FlatKind.Int16,
            SchemaType.Int32 => FlatKind.Int32,
            SchemaType.Int64 => FlatKind.Int64,
            SchemaType.Float32 => FlatKind.Float32,
            SchemaType.Float64 => FlatKind.Float64,
            SchemaType.String => FlatKind.String,
            SchemaType.Bytes => FlatKind.Bytes,
            _ => null,
        };
    }

    private enum FlatKind
    {
        Boolean,
        Int8,
        Int16,
        Int32,
        Int64,
        Float32,
        Float64,
        String,
        Bytes,
        Decimal,
        Timestamp,
        Date,
        Time,
    }

    private sealed record FlatField(Field Field, byte[] Utf8Name, FlatKind Kind);
}
