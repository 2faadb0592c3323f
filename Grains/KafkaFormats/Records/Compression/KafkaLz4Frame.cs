using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records.Compression;

/// <summary>
/// The LZ4 frame format as Kafka's own LZ4 streams write and read it, for legacy messages (magic 0 and 1):
/// <code>
/// magic 04 22 4D 18 | FLG | BD | [content size, 8 bytes, when FLG says so] | HC
/// blocks: int32 little-endian size (high bit set: stored uncompressed) | data | [xxhash32 when FLG says so]
/// end mark: int32 0 | [content checksum, when FLG says so: skipped, as Kafka skips it]
/// </code>
/// HC is the second byte of the xxhash32 of the descriptor. Kafka's first LZ4 stream (message format 0) hashed the
/// magic too; Kafka keeps writing that broken HC for magic 0 and ignores HC when it reads magic 0, so that the
/// clients of that time still read and write it (<c>brokenHeaderChecksum</c>). Writes Kafka's frame: FLG 0x60
/// (version 1, independent blocks, no checksums), BD 0x40 (64 KiB blocks). Malformed input surfaces as
/// <see cref="InvalidDataException"/>.
/// </summary>
internal static class KafkaLz4Frame
{
    private const uint Magic = 0x184D2204;
    private const int IncompressibleMask = unchecked((int)0x80000000);
    private const byte WrittenFlg = 0x60;
    private const byte WrittenBd = 0x40;
    private const int WrittenBlockSize = 64 * 1024;

    public static void Decode(ReadOnlySpan<byte> frame, PooledBufferWriter output, bool brokenHeaderChecksum)
    {
        if (frame.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic)
        {
            throw new InvalidDataException("Not an LZ4 frame (invalid magic bytes).");
        }

        var flg = frame[4];
        var bd = frame[5];
        if ((flg >> 6) != 1 || (flg & 0x03) != 0 || (flg & 0x20) == 0)
        {
            throw new InvalidDataException($"LZ4 frame flags 0x{flg:x2} are not supported (version 1, independent blocks).");
        }

        var blockSizeId = (bd >> 4) & 0x07;
        if ((bd & 0x8F) != 0 || blockSizeId < 4)
        {
            throw new InvalidDataException($"LZ4 block descriptor 0x{bd:x2} is invalid.");
        }

        var maxBlockSize = 1 << ((2 * blockSizeId) + 8);
        var blockChecksum = (flg & 0x10) != 0;
        var contentChecksum = (flg & 0x04) != 0;
        var position = (flg & 0x08) != 0 ? 14 : 6;
        if (frame.Length <= position)
        {
            throw new InvalidDataException("Truncated LZ4 frame descriptor.");
        }

        if (!brokenHeaderChecksum && frame[position] != HeaderChecksum(frame[4..position]))
        {
            throw new InvalidDataException("LZ4 frame descriptor checksum mismatch.");
        }

        position++;
        while (true)
        {
            if (frame.Length - position < 4)
            {
                throw new InvalidDataException("LZ4 frame ended before its end mark.");
            }

            var word = BinaryPrimitives.ReadInt32LittleEndian(frame[position..]);
            position += 4;
            var size = word & ~IncompressibleMask;
            if (size == 0)
            {
                if (contentChecksum && frame.Length - position < 4)
                {
                    throw new InvalidDataException("LZ4 frame ended before its content checksum.");
                }

                return;
            }

            if (size > maxBlockSize || size > frame.Length - position - (blockChecksum ? 4 : 0))
            {
                throw new InvalidDataException($"LZ4 block of {size} bytes does not fit the frame or its block size {maxBlockSize}.");
            }

            var block = frame.Slice(position, size);
            if (blockChecksum && BinaryPrimitives.ReadUInt32LittleEndian(frame[(position + size)..]) != XxHash32.HashToUInt32(block))
            {
                throw new InvalidDataException("LZ4 block checksum mismatch.");
            }

            if ((word & IncompressibleMask) != 0)
            {
                output.Write(block);
            }
            else
            {
                var decoded = LZ4Codec.Decode(block, output.GetSpan(maxBlockSize)[..maxBlockSize]);
                if (decoded < 0)
                {
                    throw new InvalidDataException("Invalid LZ4 block.");
                }

                output.Advance(decoded);
            }

            position += size + (blockChecksum ? 4 : 0);
        }
    }

    public static void Encode(ReadOnlySpan<byte> data, IBufferWriter<byte> output, bool brokenHeaderChecksum)
    {
        Span<byte> header = [0x04, 0x22, 0x4D, 0x18, WrittenFlg, WrittenBd, 0];
        header[6] = brokenHeaderChecksum ? HeaderChecksum(header[..6]) : HeaderChecksum(header[4..6]);
        output.Write(header);
        var compressed = ArrayPool<byte>.Shared.Rent(LZ4Codec.MaximumOutputSize(WrittenBlockSize));
        try
        {
            for (var start = 0; start < data.Length; start += WrittenBlockSize)
            {
                var block = data.Slice(start, Math.Min(WrittenBlockSize, data.Length - start));
                var length = LZ4Codec.Encode(block, compressed);
                var stored = length <= 0 || length >= block.Length;
                var span = output.GetSpan(4);
                BinaryPrimitives.WriteInt32LittleEndian(span, stored ? block.Length | IncompressibleMask : length);
                output.Advance(4);
                output.Write(stored ? block : compressed.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }

        var end = output.GetSpan(4);
        BinaryPrimitives.WriteInt32LittleEndian(end, 0);
        output.Advance(4);
    }

    private static byte HeaderChecksum(ReadOnlySpan<byte> descriptor) => (byte)((XxHash32.HashToUInt32(descriptor) >> 8) & 0xFF);
}
