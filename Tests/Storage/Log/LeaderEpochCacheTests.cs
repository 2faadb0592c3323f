using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

/// <summary>Kafka's leader-epoch cache: what OffsetForLeaderEpoch answers and what survives a restart.</summary>
public sealed class LeaderEpochCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private LeaderEpochCache Cache(params (int Epoch, long Start)[] entries)
    {
        Directory.CreateDirectory(_temp.Path);
        var cache = new LeaderEpochCache(_temp.Path);
        foreach (var (epoch, start) in entries)
        {
            Assert.True(cache.Assign(epoch, start));
        }

        return cache;
    }

    [Fact]
    public void EndOffsetFor_AnswersAsKafkasLeaderEpochFileCache()
    {
        var cache = Cache((1, 0), (3, 100), (6, 250));

        Assert.Equal((6, 400L), cache.EndOffsetFor(6, logEndOffset: 400));
        Assert.Equal((3, 250L), cache.EndOffsetFor(3, 400));
        Assert.Equal((3, 250L), cache.EndOffsetFor(5, 400));
        Assert.Equal((1, 100L), cache.EndOffsetFor(2, 400));
        Assert.Equal((0, 0L), cache.EndOffsetFor(0, 400));
        Assert.Equal((LeaderEpochCache.UndefinedEpoch, LeaderEpochCache.UndefinedOffset), cache.EndOffsetFor(7, 400));
        Assert.Equal((LeaderEpochCache.UndefinedEpoch, LeaderEpochCache.UndefinedOffset), cache.EndOffsetFor(LeaderEpochCache.UndefinedEpoch, 400));
        Assert.Equal((LeaderEpochCache.UndefinedEpoch, LeaderEpochCache.UndefinedOffset), new LeaderEpochCache(null).EndOffsetFor(3, 400));
    }

    [Fact]
    public void Assign_KeepsTheLatestEpochsStart_AndDropsWhatANewEntryContradicts_AsKafkasAssign()
    {
        var cache = Cache((2, 10));

        Assert.False(cache.Assign(2, 30));
        Assert.True(cache.Assign(3, 10));
        Assert.Equal([new EpochEntry(3, 10)], cache.Entries);

        // A stale tail (epoch 5 from 40, say, left by a crash) gives way to the epoch the recovered data carries from 35.
        Assert.True(cache.Assign(5, 40));
        Assert.True(cache.Assign(6, 35));
        Assert.Equal([new EpochEntry(3, 10), new EpochEntry(6, 35)], cache.Entries);
        Assert.False(cache.Assign(-1, 50));
    }

    [Fact]
    public void Truncation_FromTheEndAndFromTheStart_FollowsTheLog()
    {
        var cache = Cache((1, 0), (3, 100), (6, 250));

        cache.TruncateFromEnd(250);
        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(3, 100)], cache.Entries);

        cache.TruncateFromStart(150);
        Assert.Equal([new EpochEntry(3, 150)], cache.Entries);
        Assert.Equal((3, 300L), cache.EndOffsetFor(3, 300));
    }

    [Fact]
    public void TheCheckpointFile_SurvivesAReopen_InKafkasFormat_AndAnUnreadableOneIsIgnored()
    {
        Cache((1, 0), (4, 70));

        var reopened = new LeaderEpochCache(_temp.Path);
        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(4, 70)], reopened.Entries);
        Assert.Equal("0\n2\n1 0\n4 70\n", File.ReadAllText(Path.Combine(_temp.Path, LeaderEpochCache.FileName)));

        File.WriteAllText(Path.Combine(_temp.Path, LeaderEpochCache.FileName), "0\n2\n1 0\n");
        Assert.True(new LeaderEpochCache(_temp.Path).IsEmpty);
    }
}
