using System.Buffers.Binary;
using System.IO.Hashing;
using Avro.File;
using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// The block codecs of Avro container files that <c>avro.codec</c> names: null and deflate from Apache.Avro, snappy
/// (Snappier; each block followed by the big-endian CRC-32 of its uncompressed bytes, as the Avro specification asks)
/// and zstandard (ZstdSharp). <see cref="Resolve"/> lets Apache.Avro's reader open files written with the latter two.
/// </summary>
public static class AvroCodecs
{
    public const string CodecConfig = "avro.codec";

    public static Codec Create(string name) => name.Trim().ToLowerInvariant() switch
    {
        "null" or "" => Codec.CreateCodec(Codec.Type.Null),
        "deflate" => Codec.CreateCodec(Codec.Type.Deflate),
        "snappy" => new SnappyCodec(),
        "zstandard" or "zstd" => new ZstandardCodec(),
        _ => throw new ConfigException(CodecConfig, name, "String must be one of: null, deflate, snappy, zstandard"),
    };

    /// <summary>For <see cref="Codec.RegisterResolver"/>: the codecs Apache.Avro does not have.</summary>
    public static Codec? Resolve(string name) => name switch
    {
        SnappyCodec.Name => new SnappyCodec(),
        ZstandardCodec.Name => new ZstandardCodec(),
        _ => null,
    };

    private sealed class SnappyCodec : Codec
    {
        public const string Name = "snappy";

        public override byte[] Compress(byte[] uncompressedData)
        {
            var output = new byte[Snappier.Snappy.GetMaxCompressedLength(uncompressedData.Length) + 4];
            var length = Snappier.Snappy.Compress(uncompressedData, output);
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(length), Crc32.HashToUInt32(uncompressedData));
            return output[..(length + 4)];
        }

        public override void Compress(MemoryStream inputStream, MemoryStream outputStream)
        {
            var compressed = Compress(inputStream.ToArray());
            outputStream.SetLength(0);
            outputStream.Write(compressed);
        }

        public override byte[] Decompress(byte[] compressedData, int length)
        {
            var data = compressedData.AsSpan(0, length - 4);
            var output = Snappier.Snappy.DecompressToArray(data);
            if (Crc32.HashToUInt32(output) != BinaryPrimitives.ReadUInt32BigEndian(compressedData.AsSpan(length - 4, 4)))
            {
                throw new InvalidDataException("Checksum failure in an Avro snappy block.");
            }

            return output;
        }

        public override string GetName() => Name;

        public override bool Equals(object? other) => other is SnappyCodec;

        public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class ZstandardCodec : Codec
    {
        public const string Name = "zstandard";

        public override byte[] Compress(byte[] uncompressedData)
        {
            using var compressor = new ZstdSharp.Compressor();
            return compressor.Wrap(uncompressedData).ToArray();
        }

        public override void Compress(MemoryStream inputStream, MemoryStream outputStream)
        {
            var compressed = Compress(inputStream.ToArray());
            outputStream.SetLength(0);
            outputStream.Write(compressed);
        }

        public override byte[] Decompress(byte[] compressedData, int length)
        {
            using var decompressor = new ZstdSharp.Decompressor();
            return decompressor.Unwrap(compressedData.AsSpan(0, length)).ToArray();
        }

        public override string GetName() => Name;

        public override bool Equals(object? other) => other is ZstandardCodec;

        public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
    }
}
