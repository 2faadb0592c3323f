using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Cleaner;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Cleaner;

/// <summary>Which log the cleaner picks, where it resumes, and its threads.</summary>
public sealed class LogCleanerTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly List<PartitionLog> _logs = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }

        _temp.Dispose();
    }

    private static LogConfig Config(bool compact) => LogConfig.Default with
    {
        Compact = compact,
        Delete = !compact,
        SegmentBytes = 1_000,
        RetentionMs = -1,
        DeleteRetentionMs = 10_000,
    };

    private async Task<PartitionLog> LogWithUpdates(string name, bool compact, int batches, int keys, bool flush = true)
    {
        var log = PartitionLog.Open(_temp.Combine(name), Config(compact), false, _time);
        _logs.Add(log);
        for (var i = 0; i < batches; i++)
        {
            var builder = new RecordBatchBuilder();
            builder.Append(_time.GetUtcNow().ToUnixTimeMilliseconds(), Encoding.UTF8.GetBytes($"key{i % keys}"), Encoding.UTF8.GetBytes($"value{i}".PadRight(60, '.')));
            Assert.Equal(ErrorCode.None, (await log.AppendAsync(builder.Build())).Error);
        }

        if (flush)
        {
            await log.FlushAsync();
        }

        return log;
    }

    private LogCleaner Cleaner(CleanerOptions? options = null) =>
        new(_temp.Path, options ?? new CleanerOptions(), () => _logs, _time, NullLogger.Instance);

    [Fact]
    public async Task TheCleaner_PicksTheFilthiestCompactedLog_AndLeavesDeleteLogsAlone()
    {
        var plain = await LogWithUpdates("plain-0", compact: false, 100, 2);
        var lightlyUpdated = await LogWithUpdates("light-0", compact: true, 100, 90);
        var heavilyUpdated = await LogWithUpdates("heavy-0", compact: true, 100, 3);
        var plainSize = plain.Size;
        using var cleaner = Cleaner();
        var map = new OffsetMap(1 << 16);

        Assert.NotNull(cleaner.CleanFilthiestLog(map));
        Assert.NotNull(cleaner.CleanFilthiestLog(map));
        Assert.Null(cleaner.CleanFilthiestLog(map));
        Assert.Equal(heavilyUpdated.Segments.Active.BaseOffset, cleaner.FirstDirtyOffset(heavilyUpdated.TopicPartition));
        Assert.Equal(lightlyUpdated.Segments.Active.BaseOffset, cleaner.FirstDirtyOffset(lightlyUpdated.TopicPartition));
        Assert.Equal(0, cleaner.FirstDirtyOffset(plain.TopicPartition));
        Assert.Equal(plainSize, plain.Size);

        // Only the log written to since has dirty bytes.
        for (var i = 0; i < 60; i++)
        {
            var builder = new RecordBatchBuilder().Append(0, Encoding.UTF8.GetBytes($"key{i % 3}"), new byte[60]);
            Assert.Equal(ErrorCode.None, (await heavilyUpdated.AppendAsync(builder.Build())).Error);
        }

        await heavilyUpdated.FlushAsync();
        var before = cleaner.FirstDirtyOffset(heavilyUpdated.TopicPartition);
        var third = cleaner.CleanFilthiestLog(map);
        Assert.NotNull(third);
        Assert.Equal(before, third.FirstDirtyOffset);
        Assert.Equal(heavilyUpdated.Segments.Active.BaseOffset, cleaner.FirstDirtyOffset(heavilyUpdated.TopicPartition));
    }

    [Fact]
    public async Task SealedSegmentsNotYetFsynced_AreFlushedByTheCleaner_ThenCleaned()
    {
        var log = await LogWithUpdates("unflushed-0", compact: true, 100, 3, flush: false);
        using var cleaner = Cleaner();

        var result = cleaner.CleanFilthiestLog(new OffsetMap(1 << 16));

        Assert.NotNull(result);
        Assert.Equal(log.Segments.Active.BaseOffset, result.EndOffset);
    }

    [Fact]
    public async Task TheCleanerOffsetCheckpoint_SurvivesARestart_SoCleaningResumesWhereItEnded()
    {
        var log = await LogWithUpdates("resume-0", compact: true, 100, 3);
        long end;
        using (var cleaner = Cleaner())
        {
            end = cleaner.CleanFilthiestLog(new OffsetMap(1 << 16))!.EndOffset;
        }

        using var restarted = Cleaner();
        Assert.Equal(end, restarted.FirstDirtyOffset(log.TopicPartition));
        Assert.Null(restarted.CleanFilthiestLog(new OffsetMap(1 << 16)));
        Assert.Contains("resume 0 " + end, File.ReadAllText(Path.Combine(_temp.Path, CleanerCheckpoint.FileName)));
    }

    [Fact]
    public async Task TombstonesPastTheirHorizon_MakeTheLogDueAgain_WithoutNewWrites()
    {
        var log = PartitionLog.Open(_temp.Combine("horizon-0"), Config(compact: true), false, _time);
        _logs.Add(log);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await log.AppendAsync(new RecordBatchBuilder().Append(now, "a"u8.ToArray(), "1"u8.ToArray()).Build());
        await log.AppendAsync(new RecordBatchBuilder().Append(now, "a"u8.ToArray(), null).Build());
        for (var i = 0; i < 30; i++)
        {
            await log.AppendAsync(new RecordBatchBuilder().Append(now, Encoding.UTF8.GetBytes($"k{i}"), new byte[100]).Build());
        }

        await log.FlushAsync();
        using var cleaner = Cleaner();
        var map = new OffsetMap(1 << 16);
        Assert.NotNull(cleaner.CleanFilthiestLog(map));
        Assert.Null(cleaner.CleanFilthiestLog(map));

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.NotNull(cleaner.CleanFilthiestLog(map));
        var read = Batches.Decode(log.Read(0, 1 << 20).Records);
        Assert.DoesNotContain(read, r => r.Key == "a");
    }

    [Fact]
    public async Task TheCleanerThreads_CleanAWokenLog_AndStopOnDispose()
    {
        var log = await LogWithUpdates("threads-0", compact: true, 200, 2);
        var sizeBefore = log.Size;
        using var cleaner = Cleaner(new CleanerOptions { Threads = 2, DedupeBufferSize = 1 << 20, BackoffMs = 60_000 });
        cleaner.Start();
        cleaner.Wake();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (cleaner.Cleanings == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(cleaner.Cleanings > 0, "a woken cleaner cleans a due log");
        Assert.True(log.Size < sizeBefore / 2, $"200 updates of 2 keys shrink ({sizeBefore} -> {log.Size})");
    }
}
