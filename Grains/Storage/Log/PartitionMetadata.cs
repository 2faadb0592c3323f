using System.Text;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Kafka's <c>partition.metadata</c> (KIP-516): which incarnation of a topic a partition directory belongs to.
/// <code>
/// version: 0
/// topic_id: &lt;the topic id, 16 bytes big-endian, base64url without padding&gt;
/// </code>
/// A topic deleted while the broker that holds some of its partitions was away, then created again under the same
/// name, must not find the old records: the directory of another topic id is a stray and is removed on open.
/// </summary>
internal static class PartitionMetadata
{
    /// <summary>The topic id the directory was written for, or null when it has no (readable) metadata file.</summary>
    public static Guid? TryReadTopicId(string directory)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(directory, LogFileNames.MetadataFileName), Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("topic_id:", StringComparison.Ordinal) && TryDecode(line["topic_id:".Length..].Trim(), out var id))
            {
                return id;
            }
        }

        return null;
    }

    public static void Write(string directory, Guid topicId) =>
        FileSync.AtomicReplace(
            Path.Combine(directory, LogFileNames.MetadataFileName),
            Encoding.UTF8.GetBytes($"version: 0\ntopic_id: {Encode(topicId)}\n"));

    private static string Encode(Guid id) =>
        Convert.ToBase64String(id.ToByteArray(bigEndian: true)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out Guid id)
    {
        id = Guid.Empty;
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[18];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 16)
        {
            return false;
        }

        id = new Guid(bytes[..16], bigEndian: true);
        return true;
    }
}
