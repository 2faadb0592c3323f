using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Data;
using static Tributary.Grains.Connect.Avro.Data.AvroDataNames;
using ApacheSchema = global::Avro.Schema;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Avro.Encoding;

/// <summary>
/// A Connect struct encoded straight into the Avro binary of the schema it converts to, the mirror of
/// <see cref="DirectAvroDecoder"/>: the bytes Apache.Avro's generic writer writes for the <c>GenericRecord</c>
/// <see cref="ConnectToAvroValue"/> would make, without that record and its boxed fields. The same checks fail with
/// the same errors (a null for a required field, a value of the wrong type, a struct of another schema). It covers
/// records of primitives, logical types on primitives, optional values (<c>["null", T]</c>) and nested records; a
/// schema with anything else has no direct encoder and takes the generic path.
/// </summary>
internal sealed class DirectAvroEncoder
{
    private const int StackBytes = 512;

    private delegate void ValueWriter(ref AvroSpanWriter writer, object? value);

    private readonly ValueWriter _write;

    private DirectAvroEncoder(ValueWriter write) => _write = write;

    /// <summary>The encoder of values of <paramref name="connect"/>, a struct schema, into <paramref name="avro"/>; null when it has no direct form.</summary>
    public static DirectAvroEncoder? TryCreate(ConnectSchema connect, ApacheSchema avro, AvroDataConfig config) =>
        connect.Type == SchemaType.Struct && Writer(connect, avro, config) is { } write ? new DirectAvroEncoder(write) : null;

    /// <summary>The value in Confluent's wire format: the magic byte, <paramref name="schemaId"/>, then its Avro binary.</summary>
    public byte[] Write(int schemaId, object? value)
    {
        var writer = new AvroSpanWriter(stackalloc byte[StackBytes]);
        try
        {
            _write(ref writer, value);
            var written = writer.Written;
            var result = new byte[WireFormat.HeaderSize + written.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(1), schemaId);
            written.CopyTo(result.AsSpan(WireFormat.HeaderSize));
            return result;
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static ValueWriter? Writer(ConnectSchema connect, ApacheSchema avro, AvroDataConfig config)
    {
        if (connect.IsOptional)
        {
            return Optional(connect, avro, config);
        }

        var required = Required(connect, avro, config);
        return required is null ? null : (ref AvroSpanWriter w, object? value) =>
            required(ref w, value ?? throw new DataException("Found null value for non-optional schema"));
    }

    /// <summary>An optional value in a union of null and one other type; an optional value otherwise has no direct form.</summary>
    private static ValueWriter? Optional(ConnectSchema connect, ApacheSchema avro, AvroDataConfig config)
    {
        if (avro is not global::Avro.UnionSchema { Count: 2 } union)
        {
            return null;
        }

        var nullIndex = union[0].Tag == ApacheSchema.Type.Null ? 0 : union[1].Tag == ApacheSchema.Type.Null ? 1 : -1;
        if (nullIndex < 0 || Required(connect, union[1 - nullIndex], config) is not { } value)
        {
            return null;
        }

        var valueIndex = 1 - nullIndex;
        return (ref AvroSpanWriter w, object? v) =>
        {
            if (v is null)
            {
                w.WriteInt(nullIndex);
            }
            else
            {
                w.WriteInt(valueIndex);
                value(ref w, v);
            }
        };
    }

    private static ValueWriter? Required(ConnectSchema connect, ApacheSchema avro, AvroDataConfig config)
    {
        if (avro is global::Avro.RecordSchema record)
        {
            return connect.Type == SchemaType.Struct && !ConnectSchemaKinds.IsUnion(connect) ? Record(connect, record, config) : null;
        }

        if (connect.Type == SchemaType.String &&
            ((config.GeneralizedSumTypeSupport && ConnectSchemaKinds.Parameter(connect, GeneralizedTypeEnum) is not null) ||
             (config.EnhancedAvroSchemaSupport && ConnectSchemaKinds.Parameter(connect, AvroTypeEnum) is not null)))
        {
            return null; // written as an enum symbol
        }

        if (connect.Type == SchemaType.Bytes && ConnectSchemaKinds.IsFixed(connect))
        {
            return null;
        }

        if (Primitive(connect.Type, avro.Tag) is not { } primitive)
        {
            return null;
        }

        var typeName = connect.Type.Name().ToUpperInvariant();
        var logical = connect.Name is LogicalTypes.DecimalName or LogicalTypes.DateName or LogicalTypes.TimeName or LogicalTypes.TimestampName;
        return (ref AvroSpanWriter w, object? value) =>
        {
            var avroValue = logical ? ConnectToAvroValue.ToAvroLogical(connect, value!) : value!;
            try
            {
                primitive(ref w, avroValue);
            }
            catch (InvalidCastException)
            {
                throw new DataException($"Invalid type for {typeName}: {avroValue.GetType()}");
            }
        };
    }

    private static ValueWriter? Primitive(SchemaType connect, ApacheSchema.Type avro) => (connect, avro) switch
    {
        (SchemaType.Boolean, ApacheSchema.Type.Boolean) => static (ref AvroSpanWriter w, object? v) => w.WriteBoolean((bool)v!),
        (SchemaType.Int8, ApacheSchema.Type.Int) => static (ref AvroSpanWriter w, object? v) => w.WriteInt((sbyte)v!),
        (SchemaType.Int16, ApacheSchema.Type.Int) => static (ref AvroSpanWriter w, object? v) => w.WriteInt((short)v!),
        (SchemaType.Int32, ApacheSchema.Type.Int) => static (ref AvroSpanWriter w, object? v) => w.WriteInt((int)v!),
        (SchemaType.Int64, ApacheSchema.Type.Long) => static (ref AvroSpanWriter w, object? v) => w.WriteLong((long)v!),
        (SchemaType.Float32, ApacheSchema.Type.Float) => static (ref AvroSpanWriter w, object? v) => w.WriteFloat((float)v!),
        (SchemaType.Float64, ApacheSchema.Type.Double) => static (ref AvroSpanWriter w, object? v) => w.WriteDouble((double)v!),
        (SchemaType.String, ApacheSchema.Type.String) => static (ref AvroSpanWriter w, object? v) => w.WriteString((string)v!),
        (SchemaType.Bytes, ApacheSchema.Type.Bytes) => static (ref AvroSpanWriter w, object? v) => w.WriteBytes((byte[])v!),
        _ => null,
    };

    /// <summary>The struct's fields in the record's order, each read from the struct as the generic path reads it.</summary>
    private static ValueWriter? Record(ConnectSchema connect, global::Avro.RecordSchema record, AvroDataConfig config)
    {
        if (record.Count != connect.Fields.Count)
        {
            return null;
        }

        var sources = new Field[record.Count];
        var writers = new ValueWriter[record.Count];
        foreach (var field in connect.Fields)
        {
            var name = AvroNames.Scrub(field.Name, config.ScrubInvalidNames)!;
            if (!record.TryGetField(name, out var avroField) || sources[avroField.Pos] is not null ||
                Writer(field.Schema, avroField.Schema, config) is not { } write)
            {
                return null;
            }

            sources[avroField.Pos] = field;
            writers[avroField.Pos] = write;
        }

        var withoutDefaults = config.IgnoreDefaultForNullables;
        return (ref AvroSpanWriter w, object? value) =>
        {
            if (value is not Struct data)
            {
                throw new DataException($"Invalid type for STRUCT: {value!.GetType()}");
            }

            if (!data.Schema.Equals(connect))
            {
                throw new DataException("Mismatching struct schema");
            }

            for (var i = 0; i < writers.Length; i++)
            {
                writers[i](ref w, withoutDefaults ? data.GetWithoutDefault(sources[i].Name) : data.Get(sources[i]));
            }
        };
    }
}
