using System.Globalization;
using System.Text;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>
/// Kafka's <c>cleaner-offset-checkpoint</c> in the data directory: for each compacted partition the offset its last
/// cleaning reached (the next one's first dirty offset), so that a restart does not clean from zero again. Text:
/// a version line (0), a count line, then one <c>topic partition offset</c> line per partition; replaced atomically.
/// <para>Threads: any; a lock serializes changes and writes.</para>
/// </summary>
internal sealed class CleanerCheckpoint
{
    public const string FileName = "cleaner-offset-checkpoint";

    private readonly string _path;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    public CleanerCheckpoint(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(_path))
        {
            return;
        }

        var lines = File.ReadAllLines(_path);
        for (var i = 2; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            if (parts.Length == 3
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                _offsets[parts[0] + "-" + parts[1]] = offset;
            }
        }
    }

    /// <summary>The offset the last cleaning of <paramref name="topicPartition"/> (<c>topic-partition</c>) reached, or 0.</summary>
    public long Get(string topicPartition)
    {
        lock (_lock)
        {
            return _offsets.GetValueOrDefault(topicPartition);
        }
    }

    /// <summary>Records <paramref name="offset"/> for <paramref name="topicPartition"/> and writes the file.</summary>
    public void Set(string topicPartition, long offset)
    {
        lock (_lock)
        {
            _offsets[topicPartition] = offset;
            Write();
        }
    }

    /// <summary>Forgets a deleted partition.</summary>
    public void Remove(string topicPartition)
    {
        lock (_lock)
        {
            if (_offsets.Remove(topicPartition))
            {
                Write();
            }
        }
    }

    private void Write()
    {
        var text = new StringBuilder();
        text.Append("0\n").Append(_offsets.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (topicPartition, offset) in _offsets)
        {
            var dash = topicPartition.LastIndexOf('-');
            text.Append(topicPartition, 0, dash).Append(' ').Append(topicPartition, dash + 1, topicPartition.Length - dash - 1)
                .Append(' ').Append(offset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        FileSync.AtomicReplace(_path, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
