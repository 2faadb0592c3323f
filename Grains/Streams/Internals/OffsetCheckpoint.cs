using System.Globalization;
using Confluent.Kafka;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// A task's <c>.checkpoint</c> file (Kafka's <c>OffsetCheckpoint</c>, in its text format: the version 0, the
/// number of entries, then "topic partition offset" per line): for each changelog partition of a persistent store,
/// the offset of the last record the store on disk holds. Written whole to a temporary file and renamed over the
/// old one, so a crash leaves the old checkpoint or the new, never half of one.
/// </summary>
internal static class OffsetCheckpoint
{
    public const string FileName = ".checkpoint";

    public static Dictionary<TopicPartition, long> Read(string path)
    {
        var offsets = new Dictionary<TopicPartition, long>();
        if (!File.Exists(path))
        {
            return offsets;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Trim() != "0" || !int.TryParse(lines[1], CultureInfo.InvariantCulture, out var count) || lines.Length < 2 + count)
        {
            // Unreadable: treated as absent, so the stores are rebuilt from their changelogs.
            return offsets;
        }

        foreach (var line in lines.Skip(2).Take(count))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var partition)
                && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var offset))
            {
                offsets[new TopicPartition(parts[0], partition)] = offset;
            }
        }

        return offsets;
    }

    public static void Write(string path, IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        var lines = new List<string> { "0", offsets.Count.ToString(CultureInfo.InvariantCulture) };
        lines.AddRange(offsets.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key.Topic} {o.Key.Partition.Value} {o.Value}")));
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file))
        {
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }

            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
