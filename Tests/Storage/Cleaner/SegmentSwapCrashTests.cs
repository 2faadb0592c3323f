using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Cleaner;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Cleaner;

/// <summary>
/// A kill -9 at every step of the swap protocol: the directory is rebuilt as the crash would leave it (from the
/// files before and after a real cleaning), and the log opened on it must read exactly as before the cleaning (crash
/// before the commit point) or exactly as after it (crash after), never a mix, never a lost key.
/// </summary>
public sealed class SegmentSwapCrashTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    private static readonly LogConfig Config = LogConfig.Default with
    {
        Compact = true,
        Delete = false,
        SegmentBytes = 1_500,
        IndexIntervalBytes = 128,
        RetentionMs = -1,
    };

    public enum CrashPoint
    {
        WhileWritingCleaned,
        AfterTransactionIndexRenamedToSwap,
        AfterLogRenamedToSwap,
        AfterSomeOldSegmentsMarkedDeleted,
        AfterAllOldSegmentsMarkedDeleted,
        AfterTransactionIndexTookItsName,
    }

    public static TheoryData<CrashPoint> Points => new(Enum.GetValues<CrashPoint>());

    [Theory]
    [MemberData(nameof(Points))]
    public async Task AKillDuringTheSwap_LeavesTheOldSegmentsOrTheNewOne(CrashPoint point)
    {
        var before = _temp.Combine("before-0");
        var after = _temp.Combine("after-0");
        var beforeRecords = await WriteUpdates(before);
        CopyDirectory(before, after);
        List<DecodedRecord> afterRecords;
        IReadOnlyList<long> basesAfter;
        await using (var log = PartitionLog.Open(after, Config, true, _time))
        {
            Assert.NotNull(new LogCompactor(new OffsetMap(1 << 16), null, _time).Clean(log, 0));
            afterRecords = ReadAll(log);
            basesAfter = log.SegmentBaseOffsets;
        }

        Assert.NotEqual(beforeRecords, afterRecords);

        // The first group: the segments of "before" that the first segment of "after" replaced.
        var groupBase = basesAfter[0];
        var groupEnd = basesAfter[1];
        var crashed = _temp.Combine("crashed-0");
        CopyDirectory(before, crashed);
        var olds = Directory.GetFiles(crashed, "*.log")
            .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p)))
            .Where(b => b >= groupBase && b < groupEnd)
            .Order()
            .ToList();
        Assert.True(olds.Count >= 2, "the first group joins several segments");
        var cleanedLog = LogFileNames.LogFile(after, groupBase);
        var cleanedIndex = LogFileNames.TransactionIndexFile(after, groupBase);
        if (!File.Exists(cleanedIndex))
        {
            File.WriteAllBytes(cleanedIndex, []);
        }

        var expectOld = point is CrashPoint.WhileWritingCleaned or CrashPoint.AfterTransactionIndexRenamedToSwap;
        switch (point)
        {
            case CrashPoint.WhileWritingCleaned:
                var bytes = File.ReadAllBytes(cleanedLog);
                File.WriteAllBytes(LogFileNames.CleanedLogFile(crashed, groupBase), bytes[..(bytes.Length / 2)]);
                File.Copy(cleanedIndex, LogFileNames.CleanedTransactionIndexFile(crashed, groupBase));
                break;
            case CrashPoint.AfterTransactionIndexRenamedToSwap:
                File.Copy(cleanedLog, LogFileNames.CleanedLogFile(crashed, groupBase));
                File.Copy(cleanedIndex, LogFileNames.SwapTransactionIndexFile(crashed, groupBase));
                break;
            default:
                File.Copy(cleanedLog, LogFileNames.SwapLogFile(crashed, groupBase, groupEnd));
                if (point == CrashPoint.AfterTransactionIndexTookItsName)
                {
                    MarkDeleted(crashed, olds);
                    File.Copy(cleanedIndex, LogFileNames.TransactionIndexFile(crashed, groupBase), overwrite: true);
                    break;
                }

                File.Copy(cleanedIndex, LogFileNames.SwapTransactionIndexFile(crashed, groupBase));
                if (point == CrashPoint.AfterSomeOldSegmentsMarkedDeleted)
                {
                    MarkDeleted(crashed, olds.Take(olds.Count / 2));
                }
                else if (point == CrashPoint.AfterAllOldSegmentsMarkedDeleted)
                {
                    MarkDeleted(crashed, olds);
                }

                break;
        }

        await using var reopened = PartitionLog.Open(crashed, Config, false, _time);
        var records = ReadAll(reopened);
        if (expectOld)
        {
            Assert.Equal(beforeRecords, records);
        }
        else
        {
            // The first group is the cleaned one; the others are as they were before the cleaning.
            var expected = afterRecords.Where(r => r.Offset < groupEnd).Concat(beforeRecords.Where(r => r.Offset >= groupEnd)).ToList();
            Assert.Equal(expected, records);
        }

        Assert.Empty(Directory.GetFiles(crashed, "*.cleaned"));
        Assert.Empty(Directory.GetFiles(crashed, "*.swap"));
        Assert.Empty(Directory.GetFiles(crashed, "*.deleted"));
    }

    private static void MarkDeleted(string directory, IEnumerable<long> baseOffsets)
    {
        foreach (var baseOffset in baseOffsets)
        {
            foreach (var path in new[]
            {
                LogFileNames.LogFile(directory, baseOffset), LogFileNames.IndexFile(directory, baseOffset),
                LogFileNames.TimeIndexFile(directory, baseOffset), LogFileNames.TransactionIndexFile(directory, baseOffset),
            })
            {
                if (File.Exists(path))
                {
                    File.Move(path, path + LogFileNames.DeletedSuffix);
                }
            }
        }
    }

    private async Task<List<DecodedRecord>> WriteUpdates(string directory)
    {
        await using var log = PartitionLog.Open(directory, Config, false, _time);
        var random = new Random(11);
        await AppendUpdates(log, random, 0, 120);

        // A first cleaning shrinks every segment on its own (full segments do not fit together); after more updates
        // the cleaning under test removes records from them and joins several into one.
        Assert.NotNull(new LogCompactor(new OffsetMap(1 << 16), null, _time).Clean(log, 0));
        await AppendUpdates(log, random, 120, 60);
        return ReadAll(log);
    }

    private static async Task AppendUpdates(PartitionLog log, Random random, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var builder = new RecordBatchBuilder { Compression = i % 2 == 0 ? CompressionType.None : CompressionType.Zstd };
            for (var r = 0; r < 3; r++)
            {
                builder.Append(1_700_000_000_000 + i, Encoding.UTF8.GetBytes($"key{random.Next(12)}"), Encoding.UTF8.GetBytes($"value{i}-{r}".PadRight(40, '.')));
            }

            Assert.Equal(ErrorCode.None, (await log.AppendAsync(builder.Build())).Error);
        }

        await log.FlushAsync();
    }

    private static List<DecodedRecord> ReadAll(PartitionLog log)
    {
        var records = new List<DecodedRecord>();
        var offset = log.LogStartOffset;
        while (offset < log.HighWatermark)
        {
            var read = log.Read(offset, 1 << 20);
            Assert.Equal(ErrorCode.None, read.Error);
            if (read.Records.IsEmpty)
            {
                break;
            }

            records.AddRange(Batches.Decode(read.Records));
            var span = read.Records.Span;
            while (span.Length > 0)
            {
                offset = RecordBatch.LastOffset(span) + 1;
                span = span[RecordBatch.TotalSize(span)..];
            }
        }

        return records;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var path in Directory.GetFiles(from))
        {
            File.Copy(path, Path.Combine(to, Path.GetFileName(path)), overwrite: true);
        }
    }
}
