using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// How window and session stores key their changelog records, as Kafka keys them so that either kind of store (in
/// memory or on disk) restores from the other's changelog: a window is the key, the 8-byte window start and a 4-byte
/// sequence number (0); a session is the key, the 8-byte end and the 8-byte start; all big-endian.
/// </summary>
internal static class WindowKeys
{
    public static byte[] WindowChangelogKey(byte[] key, long windowStart)
    {
        var bytes = new byte[key.Length + 12];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), windowStart);
        return bytes;
    }

    public static (byte[] Key, long WindowStart) ParseWindowChangelogKey(string storeName, byte[] changelogKey)
    {
        if (changelogKey.Length < 12)
        {
            throw new StreamsException($"A record of the changelog of window store {storeName} has a key of {changelogKey.Length} bytes, too short for a window");
        }

        var keyLength = changelogKey.Length - 12;
        return (changelogKey.AsSpan(0, keyLength).ToArray(), BinaryPrimitives.ReadInt64BigEndian(changelogKey.AsSpan(keyLength)));
    }

    public static byte[] SessionChangelogKey(byte[] key, long start, long end)
    {
        var bytes = new byte[key.Length + 16];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), end);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length + 8), start);
        return bytes;
    }

    public static (byte[] Key, long Start, long End) ParseSessionChangelogKey(string storeName, byte[] changelogKey)
    {
        if (changelogKey.Length < 16)
        {
            throw new StreamsException($"A record of the changelog of session store {storeName} has a key of {changelogKey.Length} bytes, too short for a session");
        }

        var keyLength = changelogKey.Length - 16;
        var end = BinaryPrimitives.ReadInt64BigEndian(changelogKey.AsSpan(keyLength));
        var start = BinaryPrimitives.ReadInt64BigEndian(changelogKey.AsSpan(keyLength + 8));
        return (changelogKey.AsSpan(0, keyLength).ToArray(), start, end);
    }
}
