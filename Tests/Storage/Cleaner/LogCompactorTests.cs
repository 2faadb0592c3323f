using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Cleaner;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.Storage.Producers;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Cleaner;

/// <summary>
/// Cleaning compacted logs, checked against a model of what a consumer reading from the beginning must see: for every
/// key its latest value (or its tombstone, until the delete horizon passes), offsets unchanged and ascending, every
/// batch CRC-valid, aborted transactions gone, committed ones kept.
/// </summary>
public sealed class LogCompactorTests : IDisposable
{
    private const long Start = 1_700_000_000_000;
    private static readonly CompressionType[] Codecs =
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Start));

    public void Dispose() => _temp.Dispose();

    private sealed record ModelRecord(long Offset, string Key, string? Value);

    private static LogConfig Compacted(int segmentBytes = 2_000) => LogConfig.Default with
    {
        Compact = true,
        Delete = false,
        SegmentBytes = segmentBytes,
        IndexIntervalBytes = 256,
        RetentionMs = -1,
        DeleteRetentionMs = 60_000,
    };

    private LogCompactor Compactor(int mapBytes = 1 << 16) => new(new OffsetMap(mapBytes), null, _time);

    private static byte[] Keyed(CompressionType codec, long timestamp, params (string Key, string? Value)[] records)
    {
        var builder = new RecordBatchBuilder { Compression = codec };
        foreach (var (key, value) in records)
        {
            builder.Append(timestamp, Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));
        }

        return builder.Build();
    }

    private static List<DecodedRecord> ReadAll(PartitionLog log)
    {
        var records = new List<DecodedRecord>();
        var offset = log.LogStartOffset;
        while (offset < log.HighWatermark)
        {
            var read = log.Read(offset, 1 << 20);
            Assert.Equal(ErrorCode.None, read.Error);
            var batches = read.Records;
            if (batches.IsEmpty)
            {
                break;
            }

            records.AddRange(Batches.Decode(batches));
            var span = batches.Span;
            while (span.Length > 0)
            {
                offset = RecordBatch.LastOffset(span) + 1;
                span = span[RecordBatch.TotalSize(span)..];
            }
        }

        return records;
    }

    /// <summary>Appends random updates of <paramref name="keys"/> keys (a tenth of them tombstones); returns the model.</summary>
    private async Task<List<ModelRecord>> AppendRandomUpdates(PartitionLog log, Random random, int batches, int keys, List<ModelRecord>? model = null)
    {
        model ??= [];
        for (var b = 0; b < batches; b++)
        {
            var records = Enumerable.Range(0, random.Next(1, 6))
                .Select(_ => ($"key{random.Next(keys)}", random.Next(10) == 0 ? null : $"value{random.Next()}".PadRight(random.Next(5, 80), '.')))
                .ToArray();
            var result = await log.AppendAsync(Keyed(Codecs[random.Next(Codecs.Length)], _time.GetUtcNow().ToUnixTimeMilliseconds(), records));
            Assert.Equal(ErrorCode.None, result.Error);
            model.AddRange(records.Select((r, i) => new ModelRecord(result.BaseOffset + i, r.Item1, r.Item2)));
        }

        return model;
    }

    /// <summary>What a reader must see after a cleaning that mapped [0, <paramref name="endOffset"/>).</summary>
    private static List<ModelRecord> ExpectedAfterCleaning(List<ModelRecord> model, long endOffset, bool tombstonesGone = false)
    {
        var latest = model.Where(r => r.Offset < endOffset).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Max(r => r.Offset));
        return model
            .Where(r => r.Offset >= endOffset || (latest[r.Key] == r.Offset && !(tombstonesGone && r.Value is null)))
            .ToList();
    }

    private static void AssertReads(List<ModelRecord> expected, List<DecodedRecord> actual)
    {
        Assert.Equal(
            expected.Select(r => (r.Offset, r.Key, r.Value)).ToList(),
            actual.Select(r => (r.Offset, r.Key!, r.Value)).ToList());
    }

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 12));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Cleaning_KeepsTheLatestRecordOfEveryKey_AtItsOwnOffset(int seed)
    {
        var random = new Random(seed);
        await using var log = PartitionLog.Open(_temp.Combine($"clean{seed}-0"), Compacted(random.Next(1_000, 4_000)), false, _time);
        var model = await AppendRandomUpdates(log, random, 200, random.Next(3, 40));
        await log.FlushAsync();
        var sizeBefore = log.Size;

        var result = Compactor().Clean(log, 0);

        Assert.NotNull(result);
        Assert.Equal(log.Segments.Active.BaseOffset, result.EndOffset);
        Assert.True(log.Size < sizeBefore, $"a log of {sizeBefore} bytes full of updates shrinks ({log.Size})");
        AssertReads(ExpectedAfterCleaning(model, result.EndOffset), ReadAll(log));
        Assert.Equal(model[^1].Offset + 1, log.LogEndOffset);
    }

    [Fact]
    public async Task ASmallOffsetMap_CleansInSeveralPasses_UntilEveryKeyHasOneRecord()
    {
        var random = new Random(7);
        await using var log = PartitionLog.Open(_temp.Combine("passes-0"), Compacted(), false, _time);
        var model = await AppendRandomUpdates(log, random, 300, 200);
        await log.FlushAsync();
        var compactor = Compactor(mapBytes: 50 * OffsetMap.BytesPerEntry);

        var firstDirty = 0L;
        var passes = 0;
        while (compactor.Clean(log, firstDirty) is { } result)
        {
            Assert.True(result.EndOffset > firstDirty);
            Assert.True(result.KeysMapped <= 45);
            AssertReads(ExpectedAfterCleaning(model, result.EndOffset), ReadAll(log));
            model = ExpectedAfterCleaning(model, result.EndOffset);
            firstDirty = result.EndOffset;
            passes++;
        }

        Assert.True(passes > 2, $"a map of 45 keys needs several passes over 200 keys ({passes})");
        Assert.Equal(log.Segments.Active.BaseOffset, firstDirty);
    }

    [Fact]
    public async Task ATombstone_StaysForDeleteRetentionAfterItsFirstCleaning_ThenGoes()
    {
        await using var log = PartitionLog.Open(_temp.Combine("tombstone-0"), Compacted(segmentBytes: 300), false, _time);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await log.AppendAsync(Keyed(CompressionType.None, now, ("a", "1"), ("b", "1")));
        await log.AppendAsync(Keyed(CompressionType.Gzip, now, ("a", null), ("c", "1")));
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(Keyed(CompressionType.None, now, ($"filler{i}", new string('f', 100))));
        }

        await log.FlushAsync();
        var first = Compactor().Clean(log, 0);
        Assert.NotNull(first);
        Assert.Contains(ReadAll(log), r => r.Key == "a" && r.Value is null);
        Assert.DoesNotContain(ReadAll(log), r => r.Key == "a" && r.Value == "1");

        _time.Advance(TimeSpan.FromMilliseconds(59_000));
        for (var i = 0; i < 3; i++)
        {
            await log.AppendAsync(Keyed(CompressionType.None, now, ($"more{i}", new string('m', 100))));
        }

        await log.FlushAsync();
        Assert.NotNull(Compactor().Clean(log, 0));
        Assert.Contains(ReadAll(log), r => r.Key == "a" && r.Value is null);

        _time.Advance(TimeSpan.FromMilliseconds(2_000));
        await log.AppendAsync(Keyed(CompressionType.None, now, ("last", new string('l', 300))));
        await log.FlushAsync();
        Assert.NotNull(Compactor().Clean(log, 0));

        var records = ReadAll(log);
        Assert.DoesNotContain(records, r => r.Key == "a");
        Assert.Contains(records, r => r.Key == "b" && r.Value == "1");
        Assert.Contains(records, r => r.Key == "c" && r.Value == "1");
        Assert.Equal(now, records.Single(r => r.Key == "c").Timestamp);
    }

    [Fact]
    public async Task AbortedTransactions_AreRemoved_CommittedOnesKept_AndTheLastStableOffsetUnchanged()
    {
        await using var log = PartitionLog.Open(_temp.Combine("txn-0"), Compacted(segmentBytes: 400), false, _time);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await Transactional(log, producerId: 1, "k", "committed", commit: true);
        await Transactional(log, producerId: 2, "k", "aborted", commit: false);
        await Transactional(log, producerId: 3, "j", "aborted-only", commit: false);
        for (var i = 0; i < 8; i++)
        {
            await log.AppendAsync(Keyed(CompressionType.None, now, ($"filler{i}", new string('f', 120))));
        }

        await log.FlushAsync();
        var lastStable = log.LastStableOffset;

        Assert.NotNull(Compactor().Clean(log, 0));

        var records = ReadAll(log);
        Assert.Contains(records, r => r.Key == "k" && r.Value == "committed");
        Assert.DoesNotContain(records, r => r.Value is "aborted" or "aborted-only");
        Assert.Equal(lastStable, log.LastStableOffset);
    }

    [Fact]
    public async Task ReadsAndAppends_GoOnWhileTheLogIsCleaned_AndEveryReadRecordIsOneThatWasWritten()
    {
        var random = new Random(5);
        await using var log = PartitionLog.Open(_temp.Combine("concurrent-0"), Compacted(), false, _time);
        var model = await AppendRandomUpdates(log, random, 300, 20);
        await log.FlushAsync();
        var written = new System.Collections.Concurrent.ConcurrentDictionary<long, (string Key, string? Value)>(
            model.Select(r => KeyValuePair.Create(r.Offset, (r.Key, r.Value))));
        var known = log.LogEndOffset;
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var end = Volatile.Read(ref known);
                foreach (var record in ReadAll(log).Where(r => r.Offset < end))
                {
                    Assert.True(written.TryGetValue(record.Offset, out var expected), $"offset {record.Offset} was never written");
                    Assert.Equal(expected, (record.Key!, record.Value));
                }

                Interlocked.Increment(ref reads);
            }
        });

        var compactor = Compactor();
        for (var pass = 0; pass < 5; pass++)
        {
            foreach (var update in await AppendRandomUpdates(log, random, 40, 20))
            {
                written[update.Offset] = (update.Key, update.Value);
            }

            Volatile.Write(ref known, log.LogEndOffset);

            await log.FlushAsync();
            Assert.NotNull(compactor.Clean(log, 0));
        }

        await Task.Delay(50);
        await stop.CancelAsync();
        await reader;
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task ACleanedLog_ReadsTheSame_AfterAReopen()
    {
        var directory = _temp.Combine("reopen-0");
        var random = new Random(3);
        List<DecodedRecord> cleaned;
        await using (var log = PartitionLog.Open(directory, Compacted(), false, _time))
        {
            await AppendRandomUpdates(log, random, 150, 10);
            await log.FlushAsync();
            Assert.NotNull(Compactor().Clean(log, 0));
            cleaned = ReadAll(log);
        }

        await using var reopened = PartitionLog.Open(directory, Compacted(), true, _time);
        Assert.Equal(cleaned, ReadAll(reopened));
        Assert.Empty(Directory.GetFiles(directory, "*.cleaned"));
        Assert.Empty(Directory.GetFiles(directory, "*.swap"));
    }

    private async Task Transactional(PartitionLog log, long producerId, string key, string value, bool commit)
    {
        var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = 0, BaseSequence = 0, IsTransactional = true };
        builder.Append(_time.GetUtcNow().ToUnixTimeMilliseconds(), Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));
        Assert.Equal(ErrorCode.None, (await log.AppendAsync(builder.Build())).Error);
        Assert.Equal(ErrorCode.None, (await log.AppendAsync(ProducerBatches.Marker(producerId, 0, commit), AppendOrigin.Coordinator)).Error);
    }
}
