using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class PartitionLogDurabilityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DurableAppends_FromConcurrentWriters_AllLand_AndAreVisibleOnceAcknowledged()
    {
        await using var log = PartitionLog.Open(_temp.Combine("t-0"), LogConfig.Default with { FlushMessages = 1 }, false);
        const int writers = 8, appendsEach = 40;

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var offsets = new List<long>();
            for (var i = 0; i < appendsEach; i++)
            {
                var result = await log.AppendAsync(Batches.Make(2));
                Assert.Equal(ErrorCode.None, result.Error);
                Assert.True(log.HighWatermark > result.LastOffset, "an acknowledged durable append is visible to readers");
                offsets.Add(result.BaseOffset);
            }

            return offsets;
        })));

        var all = results.SelectMany(o => o).Order().ToList();
        Assert.Equal(Enumerable.Range(0, writers * appendsEach).Select(i => i * 2L), all);
        Assert.Equal(log.LogEndOffset, log.HighWatermark);
        Assert.True(log.FlushRounds >= 1);
    }

    [Fact]
    public async Task AFollowersWait_IsNotOver_BeforeADurableAppendIsReadable()
    {
        await using var log = PartitionLog.Open(_temp.Combine("t-0"), LogConfig.Default with { FlushMessages = 1 }, false);
        for (var i = 0; i < 50; i++)
        {
            var end = log.LogEndOffset;
            var append = log.AppendAsync(Batches.Make(1)).AsTask();
            var wait = log.WaitForDataAsync(end, CancellationToken.None, toLogEnd: true);

            // Over while the append waits for its fsync would send the follower an empty answer, and it straight back.
            if (wait.IsCompleted)
            {
                Assert.False(log.Read(end, 1 << 20, toLogEnd: true).Records.IsEmpty, "a follower's wait is over only when it has something to read");
            }

            await append;
            await wait.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(log.Read(end, 1 << 20, toLogEnd: true).Records.IsEmpty);
        }
    }

    [Fact]
    public async Task BufferedAppends_FlushEveryFlushMessages_InTheBackground()
    {
        await using var log = PartitionLog.Open(_temp.Combine("t-0"), LogConfig.Default with { FlushMessages = 10 }, false);

        for (var i = 0; i < 9; i++)
        {
            await log.AppendAsync(Batches.Make(1));
        }

        Assert.Equal(0, log.FlushRounds);
        await log.AppendAsync(Batches.Make(1));
        for (var i = 0; i < 500 && log.FlushRounds == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, log.FlushRounds);
    }

    [Fact]
    public async Task FlushAsync_MovesTheCheckpoint_SoACrashRecoversNothing()
    {
        var directory = _temp.Combine("t-0");
        var log = PartitionLog.Open(directory, LogConfig.Default, false);
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(Batches.Make(3));
        }

        await log.FlushAsync();

        await log.CrashAsync();
        await using var reopened = PartitionLog.Open(directory, LogConfig.Default, false);
        Assert.Equal(30, reopened.LogEndOffset);
        Assert.Equal(log.Size, reopened.Size);
    }
}
