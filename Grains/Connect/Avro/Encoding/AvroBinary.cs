using global::Avro.IO;
using Tributary.Grains.Connect.Avro.Data;
using ApacheSchema = global::Avro.Schema;
using Tributary.Grains.KafkaFormats.Avro;

namespace Tributary.Grains.Connect.Avro.Encoding;

/// <summary>
/// Avro binary values with Apache.Avro's generic writer and reader, framed in Confluent's wire format. A top-level
/// bytes schema is written raw, without Avro's length prefix, exactly as Confluent's serializers write and read it.
/// </summary>
internal static class AvroBinary
{
    public static byte[] Write(int schemaId, ParsedAvroSchema schema, object? value)
    {
        using var stream = new MemoryStream();
        WireFormat.WriteHeader(stream, schemaId);
        if (schema.Encoding.Tag == ApacheSchema.Type.Bytes)
        {
            stream.Write((byte[])value!);
        }
        else
        {
            var encoder = new BinaryEncoder(stream);
            schema.Writer.Write(value, encoder);
            encoder.Flush();
        }

        return stream.ToArray();
    }

    /// <summary>The value after the header, written with <paramref name="writer"/> and resolved to <paramref name="reader"/>.</summary>
    public static object? Read(byte[] data, ParsedAvroSchema writer, ParsedAvroSchema reader)
    {
        if (writer.Encoding.Tag == ApacheSchema.Type.Bytes)
        {
            return data[WireFormat.HeaderSize..];
        }

        using var stream = new MemoryStream(data, WireFormat.HeaderSize, data.Length - WireFormat.HeaderSize, writable: false);
        try
        {
            return writer.ReaderFor(reader).Read(null, new BoundedAvroDecoder(stream));
        }
        catch (IndexOutOfRangeException e)
        {
            // Apache.Avro looks a union's branch up by the index read, unchecked: a bad index is malformed data.
            throw new global::Avro.AvroException("Malformed data: " + e.Message, e);
        }
    }
}
