using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Data;
using ApacheSchema = global::Avro.Schema;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Avro.Encoding;

/// <summary>
/// Avro binary of a record decoded straight into the Connect struct its schema reads as, for records written and read
/// with the same schema: the values the generic path gets from Apache.Avro's <c>GenericRecord</c> and then converts
/// (<see cref="AvroToConnectValue"/>), without the record, its boxed fields and the field lookups in between. Per
/// record that is most of a sink's allocations. It covers records of primitives, logical types on primitives, optional
/// values (<c>["null", T]</c>) and nested records; a schema with anything else (enums, fixed, arrays, maps, general
/// unions) has no direct decoder and takes the generic path.
/// </summary>
internal sealed class DirectAvroDecoder
{
    private delegate object? ValueReader(ref AvroSpanReader reader);

    private readonly ValueReader _read;

    private DirectAvroDecoder(ValueReader read) => _read = read;

    /// <summary>The decoder of values of <paramref name="avro"/> into <paramref name="connect"/>, a struct schema; null when it has no direct form.</summary>
    public static DirectAvroDecoder? TryCreate(ConnectSchema connect, ApacheSchema avro, AvroDataConfig config) =>
        connect.Type == SchemaType.Struct && Reader(connect, avro, config) is { } read ? new DirectAvroDecoder(read) : null;

    /// <summary>The Connect value of the Avro binary <paramref name="data"/> (after the wire format's header).</summary>
    public object? Read(ReadOnlySpan<byte> data)
    {
        var reader = new AvroSpanReader(data);
        return _read(ref reader);
    }

    private static ValueReader? Reader(ConnectSchema connect, ApacheSchema avro, AvroDataConfig config)
    {
        if (avro is global::Avro.UnionSchema union)
        {
            return Optional(connect, union, config);
        }

        if (avro is global::Avro.RecordSchema record)
        {
            return connect.Type == SchemaType.Struct && !ConnectSchemaKinds.IsUnion(connect) ? Record(connect, record, config) : null;
        }

        if (connect.Name is { } name && name is LogicalTypes.DecimalName or LogicalTypes.DateName or LogicalTypes.TimeName or LogicalTypes.TimestampName)
        {
            // A logical type's primitive, converted as the generic path converts it; the common ones without boxing
            // the primitive first.
            return (name, connect.Type, avro.Tag) switch
            {
                (LogicalTypes.TimestampName, SchemaType.Int64, ApacheSchema.Type.Long) => static (ref AvroSpanReader r) => LogicalTypes.ToTimestamp(r.ReadLong()),
                (LogicalTypes.DateName, SchemaType.Int32, ApacheSchema.Type.Int) => static (ref AvroSpanReader r) => LogicalTypes.ToDate(r.ReadInt()),
                (LogicalTypes.TimeName, SchemaType.Int32, ApacheSchema.Type.Int) => static (ref AvroSpanReader r) => LogicalTypes.ToTime(r.ReadInt()),
                _ => Logical(connect, avro),
            };
        }

        return Primitive(connect.Type, avro.Tag);
    }

    private static ValueReader? Logical(ConnectSchema connect, ApacheSchema avro) =>
        Primitive(connect.Type, avro.Tag) is { } primitive
            ? (ref AvroSpanReader r) => AvroToConnectValue.ToConnectLogical(connect, primitive(ref r))
            : null;

    private static ValueReader? Primitive(SchemaType connect, ApacheSchema.Type avro) => (connect, avro) switch
    {
        (SchemaType.Boolean, ApacheSchema.Type.Boolean) => static (ref AvroSpanReader r) => r.ReadBoolean(),
        (SchemaType.Int32, ApacheSchema.Type.Int) => static (ref AvroSpanReader r) => r.ReadInt(),
        (SchemaType.Int16, ApacheSchema.Type.Int) => static (ref AvroSpanReader r) => unchecked((short)r.ReadInt()),
        (SchemaType.Int8, ApacheSchema.Type.Int) => static (ref AvroSpanReader r) => unchecked((sbyte)r.ReadInt()),
        (SchemaType.Int64, ApacheSchema.Type.Long) => static (ref AvroSpanReader r) => r.ReadLong(),
        (SchemaType.Float32, ApacheSchema.Type.Float) => static (ref AvroSpanReader r) => r.ReadFloat(),
        (SchemaType.Float64, ApacheSchema.Type.Double) => static (ref AvroSpanReader r) => r.ReadDouble(),
        (SchemaType.String, ApacheSchema.Type.String) => static (ref AvroSpanReader r) => r.ReadString(),
        (SchemaType.Bytes, ApacheSchema.Type.Bytes) => static (ref AvroSpanReader r) => r.ReadBytes(),
        _ => null,
    };

    /// <summary>A union of null and one other type, as an optional Connect value; other unions have no direct form.</summary>
    private static ValueReader? Optional(ConnectSchema connect, global::Avro.UnionSchema union, AvroDataConfig config)
    {
        if (!connect.IsOptional || union.Count != 2)
        {
            return null;
        }

        var nullIndex = union[0].Tag == ApacheSchema.Type.Null ? 0 : union[1].Tag == ApacheSchema.Type.Null ? 1 : -1;
        if (nullIndex < 0 || Reader(connect, union[1 - nullIndex], config) is not { } value)
        {
            return null;
        }

        return (ref AvroSpanReader r) =>
        {
            var index = r.ReadInt();
            return index == nullIndex ? null
                : index == 1 - nullIndex ? value(ref r)
                : throw new global::Avro.AvroException($"Union index {index} is out of range for a union of 2 types");
        };
    }

    /// <summary>The record's fields in the order they are written, each put into the struct field it is read as.</summary>
    private static ValueReader? Record(ConnectSchema connect, global::Avro.RecordSchema record, AvroDataConfig config)
    {
        if (record.Count != connect.Fields.Count)
        {
            return null; // an Avro field the struct does not read would have to be skipped
        }

        var targets = new Field?[record.Count];
        var readers = new ValueReader[record.Count];
        foreach (var field in connect.Fields)
        {
            var name = AvroNames.Scrub(field.Name, config.ScrubInvalidNames)!;
            if (!record.TryGetField(name, out var avroField) || targets[avroField.Pos] is not null ||
                Reader(field.Schema, avroField.Schema, config) is not { } read)
            {
                return null;
            }

            targets[avroField.Pos] = field;
            readers[avroField.Pos] = read;
        }

        // Each reader makes its value from its field's schema (a non-optional field cannot read as null), so the
        // struct's check of every value as it is put would only repeat that.
        var positions = Array.ConvertAll(targets, t => t!.Index);
        return (ref AvroSpanReader r) =>
        {
            var result = new Struct(connect);
            for (var i = 0; i < readers.Length; i++)
            {
                result.PutUnchecked(positions[i], readers[i](ref r));
            }

            return result;
        };
    }
}
