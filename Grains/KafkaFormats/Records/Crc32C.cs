using System.IO.Hashing;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>CRC-32C (Castagnoli), the checksum of record batches and of our own metadata files.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
}
