using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage;

/// <summary>
/// The log manager after a crash (logs recovered in the background, or first when asked for; the clean-shutdown marker
/// written again only once every log is recovered) and at shutdown (every open log closed in one pass).
/// </summary>
public sealed class LogManagerRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ValueTask<LogConfig?> Defaults(string topic, int partition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<LogConfig?>(LogConfig.Default);

    /// <summary>Logs orders-0 .. orders-(n-1), each with a checkpoint after its first batch and a second batch past it, left as a kill -9 leaves them.</summary>
    private async Task CrashWithTailsAsync(int logs)
    {
        for (var p = 0; p < logs; p++)
        {
            var directory = Path.Combine(_temp.Path, $"orders-{p}");
            await using (var log = PartitionLog.Open(directory, LogConfig.Default, false))
            {
                await log.AppendAsync(Batches.Make(3));
            }

            var crashed = PartitionLog.Open(directory, LogConfig.Default, false);
            await crashed.AppendAsync(Batches.Make(3, first: 3));
            await crashed.CrashAsync();
        }
    }

    [Fact]
    public async Task AnUncleanStart_RecoversEveryLogInTheBackground_AndTheNextShutdownIsMarkedClean()
    {
        await CrashWithTailsAsync(logs: 6);

        var manager = new LogManager(_temp.Path, recoveryThreads: 2);
        Assert.Equal(6, manager.UnrecoveredLogCount);
        await manager.RecoverAsync(Defaults);

        Assert.Equal(0, manager.UnrecoveredLogCount);
        Assert.Equal(0, manager.OpenLogCount);
        Assert.True(manager.BytesRecovered > 0);
        Assert.All(Enumerable.Range(0, 6), p => Assert.True(LogLoader.HasNothingToRecover(Path.Combine(_temp.Path, $"orders-{p}"))));
        await manager.ShutdownAsync();
        Assert.True(File.Exists(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName)));

        await using var next = new LogManager(_temp.Path);
        var log = await next.OpenAsync("orders", 5, LogConfig.Default);
        Assert.Equal(6, log.LogEndOffset);
        Assert.Equal(0, log.Loaded.BytesRecovered);
    }

    [Fact]
    public async Task AShutdownBeforeEveryLogIsRecovered_WritesNoMarker_SoTheNextStartRecoversTheRest()
    {
        await CrashWithTailsAsync(logs: 3);

        var manager = new LogManager(_temp.Path);
        var opened = await manager.OpenAsync("orders", 0, LogConfig.Default);
        Assert.True(opened.Loaded.BytesRecovered > 0);
        Assert.Equal(2, manager.UnrecoveredLogCount);
        await manager.ShutdownAsync();

        Assert.False(File.Exists(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName)));
        await using var next = new LogManager(_temp.Path);
        Assert.False(next.LastShutdownWasClean);
        var log = await next.OpenAsync("orders", 1, LogConfig.Default);
        Assert.True(log.Loaded.BytesRecovered > 0);
        Assert.Equal(6, log.LogEndOffset);
    }

    [Fact]
    public async Task ALogOpenedDuringTheBackgroundRecovery_IsServedWithoutWaitingForTheOthers()
    {
        await CrashWithTailsAsync(logs: 1);
        var busy = Path.Combine(_temp.Path, "busy-0");
        var crashed = PartitionLog.Open(busy, LogConfig.Default, false);
        await crashed.AppendAsync(Batches.Make(3));
        await crashed.CrashAsync();
        var release = new TaskCompletionSource<LogConfig?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var manager = new LogManager(_temp.Path, recoveryThreads: 2);

        // The background pass is held on the first log it picks ("busy-0" sorts first) until released.
        var recovery = manager.RecoverAsync((topic, _, _) =>
        {
            if (topic != "busy")
            {
                return ValueTask.FromResult<LogConfig?>(LogConfig.Default);
            }

            asked.TrySetResult();
            return new ValueTask<LogConfig?>(release.Task);
        });
        await asked.Task;
        var log = await manager.OpenAsync("orders", 0, LogConfig.Default);

        Assert.Equal(6, log.LogEndOffset);
        Assert.False(recovery.IsCompleted);
        release.SetResult(LogConfig.Default);
        await recovery;
        Assert.Equal(0, manager.UnrecoveredLogCount);
        await manager.ShutdownAsync();
        Assert.True(File.Exists(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName)));
    }

    [Fact]
    public async Task LogsAlreadyAtTheirCheckpoint_AreOnlyLookedAt()
    {
        for (var p = 0; p < 3; p++)
        {
            await using var log = PartitionLog.Open(Path.Combine(_temp.Path, $"orders-{p}"), LogConfig.Default, false);
            await log.AppendAsync(Batches.Make(3));
        }

        var checkpoint = Path.Combine(_temp.Path, "orders-0", LogFileNames.CheckpointFileName);
        var written = File.GetLastWriteTimeUtc(checkpoint);
        var manager = new LogManager(_temp.Path);
        Assert.Equal(3, manager.UnrecoveredLogCount);

        await manager.RecoverAsync((_, _, _) => throw new InvalidOperationException("No log needs its config."));

        Assert.Equal(0, manager.UnrecoveredLogCount);
        Assert.Equal(0, manager.BytesRecovered);
        Assert.Equal(written, File.GetLastWriteTimeUtc(checkpoint));
        await manager.ShutdownAsync();
    }

    [Fact]
    public async Task ANewDirectory_HasNothingToRecover_AndItsFirstShutdownIsMarkedClean()
    {
        var manager = new LogManager(_temp.Combine("new"));

        Assert.False(manager.LastShutdownWasClean);
        Assert.Equal(0, manager.UnrecoveredLogCount);
        await manager.RecoverAsync(Defaults);
        var log = await manager.OpenAsync("orders", 0, LogConfig.Default);
        await log.AppendAsync(Batches.Make(2));
        await manager.ShutdownAsync();

        Assert.True(File.Exists(Path.Combine(_temp.Path, "new", LogManager.CleanShutdownFileName)));
    }

    [Fact]
    public async Task Shutdown_ClosesEveryOpenLogInOnePass_WithItsCheckpointAtItsEnd()
    {
        var manager = new LogManager(_temp.Path, recoveryThreads: 3);
        var logs = new List<PartitionLog>();
        for (var p = 0; p < 20; p++)
        {
            var log = await manager.OpenAsync("orders", p, LogConfig.Default);
            await log.AppendAsync(Batches.Make(p + 1));
            logs.Add(log);
        }

        await manager.ShutdownAsync();

        Assert.All(logs, l => Assert.True(l.IsClosed));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await logs[0].AppendAsync(Batches.Make(1))).Error);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => manager.OpenAsync("orders", 99, LogConfig.Default));
        Assert.True(File.Exists(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName)));
        for (var p = 0; p < 20; p++)
        {
            var directory = Path.Combine(_temp.Path, $"orders-{p}");
            Assert.True(LogLoader.HasNothingToRecover(directory));
            await using var reopened = PartitionLog.Open(directory, LogConfig.Default, lastShutdownWasClean: false);
            Assert.Equal(p + 1, reopened.LogEndOffset);
        }
    }

    [Fact]
    public async Task CheckpointRecoveryPoints_MovesTheCheckpointOfEachLogWithNewAppends()
    {
        await using var manager = new LogManager(_temp.Path);
        var written = await manager.OpenAsync("orders", 0, LogConfig.Default);
        var idle = await manager.OpenAsync("orders", 1, LogConfig.Default);
        await written.AppendAsync(Batches.Make(3));
        Assert.False(LogLoader.HasNothingToRecover(written.Directory));

        await manager.CheckpointRecoveryPointsAsync();

        Assert.True(LogLoader.HasNothingToRecover(written.Directory));
        Assert.False(File.Exists(Path.Combine(idle.Directory, LogFileNames.CheckpointFileName)));
    }
}
