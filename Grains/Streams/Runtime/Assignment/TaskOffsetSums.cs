using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// How far an instance's local state of each task has got, as an assignment asks for it (Kafka Streams'
/// <c>TaskManager.getTaskOffsetSums</c>), and the lags the leader works out from it. A task the instance runs as
/// active counts as <see cref="AssignmentClient.RunningActive"/>; any other task with a directory under
/// <c>&lt;state.dir&gt;/&lt;application.id&gt;</c> counts the sum of the changelog offsets its checkpoint holds (a
/// standby's, or a closed task's left on disk); a task with neither has no state here. The sum, not each partition's
/// offset, is what Kafka exchanges: one number per task, however many stores it has.
/// </summary>
internal static class TaskOffsetSums
{
    /// <summary>The offset sums of the tasks whose state this instance holds.</summary>
    public static Dictionary<TaskId, long> Read(string applicationDirectory, IEnumerable<TaskId> runningActive)
    {
        var sums = new Dictionary<TaskId, long>();
        if (Directory.Exists(applicationDirectory))
        {
            foreach (var directory in Directory.EnumerateDirectories(applicationDirectory))
            {
                // Other directories (a global store's, anything else put there) are not tasks.
                if (!TaskId.TryParse(Path.GetFileName(directory), out var task))
                {
                    continue;
                }

                var offsets = OffsetCheckpoint.Read(Path.Combine(directory, OffsetCheckpoint.FileName));
                if (offsets.Count > 0)
                {
                    sums[task] = offsets.Values.Sum();
                }
            }
        }

        foreach (var task in runningActive)
        {
            sums[task] = AssignmentClient.RunningActive;
        }

        return sums;
    }

    /// <summary>
    /// Each stateful task's lag on one instance: records behind the sum of its changelogs' end offsets (a checkpoint
    /// names the last record a store holds, so a store that holds everything is one record per changelog partition
    /// behind); <see cref="AssignmentClient.RunningActive"/> as reported. A task the instance holds nothing of lags by
    /// the whole end sum, as Kafka counts it (so a task with a short changelog is caught up anywhere), and so does a
    /// sum past the end (a changelog deleted and made again). Tasks that are not among
    /// <paramref name="endOffsetSums"/> (not stateful in this topology) are left out.
    /// </summary>
    public static Dictionary<TaskId, long> Lags(IReadOnlyDictionary<TaskId, long> offsetSums, IReadOnlyDictionary<TaskId, long> endOffsetSums)
    {
        var lags = new Dictionary<TaskId, long>();
        foreach (var (task, end) in endOffsetSums)
        {
            var sum = offsetSums.GetValueOrDefault(task, 0);
            lags[task] = sum == AssignmentClient.RunningActive ? AssignmentClient.RunningActive : sum > end ? end : end - sum;
        }

        return lags;
    }
}
