using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Persistence;

/// <summary>
/// One grain's stored state, one file: how the embedded broker kept control-plane state before
/// <see cref="LogGrainStorage"/>, which moves such files into its log when it first reads them.
/// <code>
/// magic "TRGS" | int16 format version (1) | int64 state version | int32 payload length (-1: cleared) | uint32 CRC-32C
/// of the payload | payload (Orleans-serialized state)                                            (big-endian)
/// </code>
/// The state version was the ETag. A file was only ever replaced atomically (see <see cref="FileSync.AtomicReplace"/>);
/// one that fails its magic or CRC is reported as corrupt, never read as empty.
/// </summary>
internal static class GrainStateFile
{
    private const int HeaderSize = 22;
    private const int MaxFileNameLength = 200;
    private const short FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "TRGS"u8;

    public readonly record struct Contents(long Version, byte[]? Payload);

    /// <summary>The file's version and payload (null when cleared), or null when there is no file.</summary>
    public static Contents? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var span = bytes.AsSpan();
        if (span.Length < HeaderSize || !span[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt16BigEndian(span[4..]) != FormatVersion)
        {
            throw new InvalidDataException($"Grain state file {path} has no valid header.");
        }

        var version = BinaryPrimitives.ReadInt64BigEndian(span[6..]);
        var length = BinaryPrimitives.ReadInt32BigEndian(span[14..]);
        var crc = BinaryPrimitives.ReadUInt32BigEndian(span[18..]);
        if (length == -1)
        {
            return new Contents(version, null);
        }

        if (length < 0 || length != span.Length - HeaderSize || Crc32C.Compute(span[HeaderSize..]) != crc)
        {
            throw new InvalidDataException($"Grain state file {path} is corrupt.");
        }

        return new Contents(version, span[HeaderSize..].ToArray());
    }

    /// <summary>The file that held a grain's state under <paramref name="rootDirectory"/>.</summary>
    public static string PathOf(string rootDirectory, string stateName, GrainId grainId) =>
        Path.Combine(rootDirectory, Escape(stateName), Escape(grainId.Type.ToString()!), Escape(grainId.Key.ToString()!) + ".state");

    public static void Write(string path, long version, ReadOnlySpan<byte> payload, bool cleared)
    {
        var bytes = new byte[HeaderSize + (cleared ? 0 : payload.Length)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], version);
        BinaryPrimitives.WriteInt32BigEndian(span[14..], cleared ? -1 : payload.Length);
        if (!cleared)
        {
            payload.CopyTo(span[HeaderSize..]);
            BinaryPrimitives.WriteUInt32BigEndian(span[18..], Crc32C.Compute(payload));
        }

        FileSync.AtomicReplace(path, bytes);
    }

    /// <summary>A file name for any string: percent-escaped, or a hash when that would be too long.</summary>
    private static string Escape(string value)
    {
        var escaped = Uri.EscapeDataString(value);
        if (escaped.Length <= MaxFileNameLength && escaped is not ("." or ".."))
        {
            return escaped;
        }

        return "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
