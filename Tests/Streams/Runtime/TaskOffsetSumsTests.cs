using Confluent.Kafka;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Assignment;

namespace Tributary.Tests.Streams.Runtime;

public sealed class TaskOffsetSumsTests : IDisposable
{
    private readonly string _applicationDirectory = Path.Combine(Path.GetTempPath(), "offset-sums-" + Guid.NewGuid().ToString("N"), "app");

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_applicationDirectory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private void Checkpoint(string task, params (string Topic, int Partition, long Offset)[] offsets)
    {
        var directory = Path.Combine(_applicationDirectory, task);
        Directory.CreateDirectory(directory);
        OffsetCheckpoint.Write(Path.Combine(directory, OffsetCheckpoint.FileName),
            offsets.ToDictionary(o => new TopicPartition(o.Topic, o.Partition), o => o.Offset));
    }

    [Fact]
    public void Read_SumsEachTaskDirectorysCheckpoint_AndCountsRunningActivesAsRunning()
    {
        Checkpoint("0_1", ("app-counts-changelog", 1, 10), ("app-totals-changelog", 1, 20));
        Checkpoint("1_0", ("app-joined-changelog", 0, 5));
        Checkpoint("0_3", ("app-counts-changelog", 3, 7));
        Directory.CreateDirectory(Path.Combine(_applicationDirectory, "0_2")); // a directory without a checkpoint
        Directory.CreateDirectory(Path.Combine(_applicationDirectory, "global")); // not a task

        var sums = TaskOffsetSums.Read(_applicationDirectory, [new TaskId(0, 3), new TaskId(0, 4)]);

        Assert.Equal(new Dictionary<TaskId, long>
        {
            [new TaskId(0, 1)] = 30,
            [new TaskId(1, 0)] = 5,
            [new TaskId(0, 3)] = AssignmentClient.RunningActive,
            [new TaskId(0, 4)] = AssignmentClient.RunningActive,
        }, sums);
    }

    [Fact]
    public void Read_OfAnInstanceWithoutState_IsEmpty() =>
        Assert.Empty(TaskOffsetSums.Read(_applicationDirectory, []));

    [Fact]
    public void Lags_AreRecordsBehindTheChangelogsEnds_AndAWholeRestoreWhenTheSumIsPastTheEndOrThereIsNoState()
    {
        var lags = TaskOffsetSums.Lags(
            new Dictionary<TaskId, long>
            {
                [new TaskId(0, 0)] = AssignmentClient.RunningActive,
                [new TaskId(0, 1)] = 90,
                [new TaskId(0, 2)] = 500,
                [new TaskId(9, 0)] = 3, // no longer a stateful task of the topology
            },
            new Dictionary<TaskId, long> { [new TaskId(0, 0)] = 100, [new TaskId(0, 1)] = 100, [new TaskId(0, 2)] = 100, [new TaskId(0, 3)] = 40 });

        Assert.Equal(new Dictionary<TaskId, long>
        {
            [new TaskId(0, 0)] = AssignmentClient.RunningActive,
            [new TaskId(0, 1)] = 10,
            [new TaskId(0, 2)] = 100,
            [new TaskId(0, 3)] = 40, // nothing of it here: the whole changelog to restore
        }, lags);
    }

    [Fact]
    public void AnInstanceWhoseStandbyStateIsOnDisk_TakesTheTaskOverWhenItsOwnerLeaves()
    {
        // B kept a standby of 0_0 (checkpointed 30 records before the end); the instance that ran 0_0 is gone; A is new.
        Checkpoint("0_0", ("app-counts-changelog", 0, 99_970));
        var b = TaskOffsetSums.Lags(TaskOffsetSums.Read(_applicationDirectory, []), new Dictionary<TaskId, long> { [new TaskId(0, 0)] = 100_000 });
        var a = Guid.Parse("00000000-0000-0000-0000-00000000000a");
        var bId = Guid.Parse("00000000-0000-0000-0000-00000000000b");
        AssignmentClient[] clients = [new(a, 1), new(bId, 1, b)];

        HighAvailabilityTaskAssignor.Assign(clients, [new TaskId(0, 0)], new HashSet<TaskId> { new(0, 0) }, new TaskAssignmentSettings(NumStandbyReplicas: 1));

        Assert.Equal(30, b[new TaskId(0, 0)]);
        Assert.Equal([new TaskId(0, 0)], clients[1].Active);
        Assert.Equal([new TaskId(0, 0)], clients[0].Standby);
    }
}
