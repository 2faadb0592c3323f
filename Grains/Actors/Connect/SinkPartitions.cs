using System.Globalization;
using System.Text.RegularExpressions;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// A sink connector's partitions spread over its tasks, as Kafka's group assignment would spread them over the
/// connector's consumers: the partitions of its <c>topics</c> (or of every topic matching <c>topics.regex</c>), in topic
/// and partition order, dealt to the tasks in turn. Each partition is kept as <c>topic/partition</c> text in the
/// connector's state; a changed assignment restarts the tasks with theirs.
/// </summary>
internal static class SinkPartitions
{
    public static async Task<List<List<string>>> AssignAsync(IGrainFactory grains, IReadOnlyDictionary<string, string> config, int taskCount)
    {
        var topics = config.GetValueOrDefault(ConnectorConfig.Topics)?.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0).ToList() ?? [];
        var regex = config.GetValueOrDefault(ConnectorConfig.TopicsRegex)?.Trim() ?? "";
        if (regex.Length > 0)
        {
            var all = await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync();
            topics = [.. all.Where(t => Regex.IsMatch(t, "^(?:" + regex + ")$"))];
        }

        var partitions = new List<string>();
        foreach (var topic in topics.Distinct().Order(StringComparer.Ordinal))
        {
            var description = await grains.GetGrain<ITopicGrain>(topic).DescribeAsync();
            for (var p = 0; p < (description?.PartitionCount ?? 0); p++)
            {
                partitions.Add($"{topic}/{p}");
            }
        }

        var assignments = Enumerable.Range(0, taskCount).Select(_ => new List<string>()).ToList();
        for (var i = 0; i < partitions.Count && taskCount > 0; i++)
        {
            assignments[i % taskCount].Add(partitions[i]);
        }

        return assignments;
    }

    public static GroupTopicPartition Parse(string text)
    {
        var slash = text.LastIndexOf('/');
        return new GroupTopicPartition(text[..slash], int.Parse(text[(slash + 1)..], CultureInfo.InvariantCulture));
    }
}
