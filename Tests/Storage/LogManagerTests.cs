using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage;

public sealed class LogManagerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Shutdown_WritesTheCleanShutdownMarker_AndTheNextStartConsumesIt()
    {
        var manager = new LogManager(_temp.Path);
        Assert.False(manager.LastShutdownWasClean);
        var log = await manager.OpenAsync("orders", 0, LogConfig.Default);
        await log.AppendAsync(Batches.Make(3));

        await manager.ShutdownAsync();

        Assert.True(File.Exists(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName)));
        await using var next = new LogManager(_temp.Path);
        Assert.True(next.LastShutdownWasClean);
        Assert.False(File.Exists(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName)));
        var reopened = await next.OpenAsync("orders", 0, LogConfig.Default);
        Assert.Equal(3, reopened.LogEndOffset);
    }

    [Fact]
    public async Task ADirectoryOfAnotherTopicId_IsRemovedOnOpen_AndOneOfTheSameIdKeepsItsRecords()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await using var manager = new LogManager(_temp.Path);

        // A directory written before topic ids were kept takes the id it is opened with, records and all.
        var legacy = await manager.OpenAsync("orders", 0, LogConfig.Default);
        await legacy.AppendAsync(Batches.Make(3));
        await manager.CloseAsync(legacy);
        var marked = await manager.OpenAsync("orders", 0, LogConfig.Default, first);
        Assert.Equal(3, marked.LogEndOffset);
        Assert.Contains("topic_id: ", File.ReadAllText(Path.Combine(marked.Directory, LogFileNames.MetadataFileName)), StringComparison.Ordinal);
        await marked.AppendAsync(Batches.Make(2));
        await manager.CloseAsync(marked);

        var reopened = await manager.OpenAsync("orders", 0, LogConfig.Default, first);
        Assert.Equal(5, reopened.LogEndOffset);
        await manager.CloseAsync(reopened);

        // The topic was deleted while this broker was away and created again: the old records are not the new topic's.
        var recreated = await manager.OpenAsync("orders", 0, LogConfig.Default, second);
        Assert.Equal(0, recreated.LogEndOffset);
        await recreated.AppendAsync(Batches.Make(1));
        await manager.CloseAsync(recreated);
        var again = await manager.OpenAsync("orders", 0, LogConfig.Default, second);
        Assert.Equal(1, again.LogEndOffset);
        await manager.CloseAsync(again);
        Assert.Empty(Directory.EnumerateDirectories(_temp.Path, "*" + LogManager.DeletedDirectorySuffix));
    }

    [Fact]
    public async Task AStartWithoutTheMarker_RecoversLogsThatHaveNoCheckpoint()
    {
        await CrashWithoutCheckpoint(tornBytes: 5);

        await using var manager = new LogManager(_temp.Path);
        var log = await manager.OpenAsync("orders", 0, LogConfig.Default);

        Assert.False(manager.LastShutdownWasClean);
        Assert.False(log.Loaded.UsedCheckpoint);
        Assert.Equal(Batches.Make(3).Length - 5, log.Loaded.BytesTruncated);
        Assert.Equal(6, log.LogEndOffset);
    }

    [Fact]
    public async Task AStartWithTheMarker_TrustsLogsAsTheyAre()
    {
        await CrashWithoutCheckpoint(tornBytes: 0);
        File.WriteAllBytes(Path.Combine(_temp.Path, LogManager.CleanShutdownFileName), []);

        await using var manager = new LogManager(_temp.Path);
        var log = await manager.OpenAsync("orders", 0, LogConfig.Default);

        Assert.True(manager.LastShutdownWasClean);
        Assert.Equal(1, log.Loaded.SegmentsRecovered);
        Assert.Equal(0, log.Loaded.BytesTruncated);
        Assert.Equal(9, log.LogEndOffset);
    }

    [Fact]
    public async Task ASecondManager_CannotOpenADirectoryInUse()
    {
        await using var manager = new LogManager(_temp.Path);

        Assert.Throws<IOException>(() => new LogManager(_temp.Path));
    }

    [Fact]
    public async Task ALog_CannotBeOpenedTwice_AndListPartitionsSeesItsDirectory()
    {
        await using var manager = new LogManager(_temp.Path);
        var log = await manager.OpenAsync("my-topic.v2", 7, LogConfig.Default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.OpenAsync("my-topic.v2", 7, LogConfig.Default));
        Assert.Contains(("my-topic.v2", 7), manager.ListPartitions());
        await manager.CloseAsync(log);
        Assert.Equal(0, manager.OpenLogCount);
        await manager.CloseAsync(await manager.OpenAsync("my-topic.v2", 7, LogConfig.Default));
    }

    private async Task CrashWithoutCheckpoint(int tornBytes)
    {
        var directory = Path.Combine(_temp.Path, "orders-0");
        var log = PartitionLog.Open(directory, LogConfig.Default, false);
        for (var i = 0; i < 3; i++)
        {
            await log.AppendAsync(Batches.Make(3));
        }

        await log.CrashAsync();
        File.Delete(Path.Combine(directory, LogFileNames.CheckpointFileName));
        var segment = Directory.GetFiles(directory, "*.log").Single();
        using var file = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.SetLength(file.Length - tornBytes);
    }
}
