using System.Buffers.Binary;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Avro.Encoding;

/// <summary>
/// Confluent's wire format: a zero magic byte, the schema id as four big-endian bytes, then the Avro binary value.
/// </summary>
internal static class WireFormat
{
    public const byte MagicByte = 0;
    public const int HeaderSize = 5;

    public static void WriteHeader(Stream stream, int schemaId)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], schemaId);
        stream.Write(header);
    }

    /// <summary>The schema id of a record in the wire format; anything else is refused as Confluent refuses it.</summary>
    public static int ReadSchemaId(byte[] data)
    {
        if (data.Length < HeaderSize || data[0] != MagicByte)
        {
            throw new DataException("Unknown magic byte!");
        }

        return BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(1));
    }
}
