namespace Tributary.Grains.Streams.State;

/// <summary>Orders byte strings as unsigned bytes, shorter first on a common prefix (Kafka's <c>Bytes</c> order).</summary>
public sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x is null || y is null
        ? (x is null ? 0 : 1) - (y is null ? 0 : 1)
        : x.AsSpan().SequenceCompareTo(y);

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
