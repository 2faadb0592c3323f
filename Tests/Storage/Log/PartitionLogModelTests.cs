using System.Text;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

/// <summary>
/// Property test: random sequences of appends, reads, rolls, timestamp lookups, DeleteRecords, clean reopens and
/// crashes with torn tails, checked step by step against a plain in-memory list of records.
/// </summary>
public sealed class PartitionLogModelTests : IDisposable
{
    private static readonly CompressionType[] Codecs =
        [CompressionType.None, CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record ModelRecord(long Offset, long Timestamp, string Key, string Value);

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 24));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomOperations_MatchASimpleModel(int seed)
    {
        var random = new Random(seed);
        var directory = _temp.Combine($"model{seed}-0");
        var config = LogConfig.Default with
        {
            SegmentBytes = random.Next(1500, 6000),
            IndexIntervalBytes = random.Next(0, 600),
            RetentionMs = -1,
        };
        var model = new List<ModelRecord>();
        var lastBatchCount = 0;
        var logStartOffset = 0L;
        var nextKey = 0;
        var log = PartitionLog.Open(directory, config, false);
        try
        {
            for (var step = 0; step < 120; step++)
            {
                switch (random.Next(100))
                {
                    case < 45:
                    {
                        var count = random.Next(1, 12);
                        var builder = new RecordBatchBuilder { Compression = Codecs[random.Next(Codecs.Length)] };
                        var baseTimestamp = 1_000_000 + model.Count * 10 + random.Next(-30, 30);
                        var added = new List<ModelRecord>();
                        for (var i = 0; i < count; i++)
                        {
                            var key = $"k{nextKey++}";
                            var value = new string('x', random.Next(0, 200));
                            var timestamp = baseTimestamp + random.Next(0, 40);
                            builder.Append(timestamp, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));
                            added.Add(new ModelRecord(log.LogEndOffset + i, timestamp, key, value));
                        }

                        var result = await log.AppendAsync(builder.Build());
                        Assert.Equal(ErrorCode.None, result.Error);
                        Assert.Equal(log.LogEndOffset - count, result.BaseOffset);
                        model.AddRange(added);
                        lastBatchCount = count;
                        break;
                    }

                    case < 70:
                    {
                        var offset = random.NextInt64(logStartOffset, log.LogEndOffset + 1);
                        var read = log.Read(offset, random.Next(1, 4000));
                        Assert.Equal(ErrorCode.None, read.Error);
                        var got = Batches.Decode(read.Records).Where(r => r.Offset >= offset).ToList();
                        var expected = model.Where(r => r.Offset >= offset).Take(got.Count).ToList();
                        Assert.Equal(expected.Select(r => (r.Offset, r.Timestamp, r.Key, r.Value)), got.Select(r => (r.Offset, r.Timestamp, r.Key!, r.Value!)));
                        Assert.True(offset == log.LogEndOffset || got.Count > 0, "a read inside the log returns at least one record");
                        break;
                    }

                    case < 78:
                    {
                        // Timestamps are not monotonic here; the answer is still the first record (by offset) at or
                        // past the target, since the batch holding it is the first whose largest timestamp reaches it.
                        var target = 1_000_000 + random.Next(-100, model.Count * 10 + 100);
                        var expected = model.FirstOrDefault(r => r.Offset >= logStartOffset && r.Timestamp >= target);
                        var found = log.FindOffsetByTimestamp(target);
                        Assert.Equal(expected is null ? null : new TimestampAndOffset(expected.Timestamp, expected.Offset), found);
                        break;
                    }

                    case < 84:
                    {
                        await log.DisposeAsync();
                        log = PartitionLog.Open(directory, config, false);
                        break;
                    }

                    case < 92:
                    {
                        // Crash: stop the log as a kill -9 would, and half the time tear the last batch.
                        var tear = random.Next(2) == 0 && lastBatchCount > 0 && model.Count > 0;
                        var lastSegment = LogFileNames.LogFile(directory, log.SegmentBaseOffsets[^1]);
                        await log.CrashAsync();
                        if (tear && new FileInfo(lastSegment).Length > 0)
                        {
                            using (var file = new FileStream(lastSegment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                            {
                                file.SetLength(file.Length - random.Next(1, 20));
                            }

                            model.RemoveRange(model.Count - lastBatchCount, lastBatchCount);
                        }

                        lastBatchCount = 0;
                        log = PartitionLog.Open(directory, config, false);
                        break;
                    }

                    default:
                    {
                        var offset = random.NextInt64(logStartOffset, log.HighWatermark + 1);
                        var (error, lowWatermark) = log.DeleteRecordsBefore(offset);
                        Assert.Equal(ErrorCode.None, error);
                        logStartOffset = Math.Max(logStartOffset, offset);
                        Assert.Equal(logStartOffset, lowWatermark);
                        lastBatchCount = 0;
                        break;
                    }
                }

                var expectedEnd = model.Count == 0 ? 0 : model[^1].Offset + 1;
                Assert.Equal(Math.Max(expectedEnd, logStartOffset), log.LogEndOffset);
                Assert.Equal(logStartOffset, log.LogStartOffset);
                Assert.Equal(log.LogEndOffset, log.HighWatermark);
            }
        }
        finally
        {
            await log.DisposeAsync();
        }
    }
}
