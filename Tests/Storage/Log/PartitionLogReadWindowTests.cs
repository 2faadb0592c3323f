using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

/// <summary>
/// Reads from every offset of logs whose batches vary in size, against what the appends say the batches are: a read
/// returns the whole batches from the one holding the offset, as many as fit the bytes asked for (the first one whole
/// when it alone is larger and the read asks for at least one), stopping at segment ends. Reads from an index entry near
/// a segment's end find their batch in one read of the segment's tail; the others scan headers from the entry first;
/// with an index interval of 1 MiB (one entry per 200 KiB segment) every read scans from the segment's start.
/// </summary>
public sealed class PartitionLogReadWindowTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(4096)]
    [InlineData(0)]
    [InlineData(1024 * 1024)]
    public async Task EveryOffset_ReadsTheWholeBatchesFromTheOneHoldingIt(int indexIntervalBytes)
    {
        var config = LogConfig.Default with { IndexIntervalBytes = indexIntervalBytes, SegmentBytes = 200 * 1024 };
        await using var log = PartitionLog.Open(_temp.Combine($"t-{indexIntervalBytes}"), config, lastShutdownWasClean: false, _time);
        var random = new Random(indexIntervalBytes);
        var batches = new List<(long Base, long Last, int Size)>();
        for (var i = 0; i < 300; i++)
        {
            var batch = Batches.Make(random.Next(1, 20), valueSize: random.Next(0, 3) == 0 ? random.Next(2000, 9000) : random.Next(0, 300));
            var result = await log.AppendAsync(batch);
            batches.Add((result.BaseOffset, result.LastOffset, batch.Length));
        }

        var segmentBases = log.SegmentBaseOffsets;
        Assert.True(segmentBases.Count > 3, "the batches span several segments");
        foreach (var maxBytes in new[] { 1, 700, 6000, 70_000 })
        {
            foreach (var minOneMessage in new[] { true, false })
            {
                for (var offset = 0L; offset <= batches[^1].Last + 1; offset++)
                {
                    var records = log.Read(offset, maxBytes, minOneMessage).Records;
                    var expected = Expected(batches, segmentBases, offset, maxBytes, minOneMessage);
                    Assert.True(
                        expected.SequenceEqual(Found(records.Span)),
                        $"offset {offset}, max {maxBytes}, minOne {minOneMessage}: {string.Join(",", Found(records.Span))} instead of {string.Join(",", expected)}");
                }
            }
        }
    }

    /// <summary>The base offsets of the batches a read should return, from the offsets and sizes the appends gave.</summary>
    private static List<long> Expected(List<(long Base, long Last, int Size)> batches, IReadOnlyList<long> segmentBases, long offset, int maxBytes, bool minOneMessage)
    {
        long SegmentOf(long baseOffset) => segmentBases.Last(b => b <= baseOffset);
        var first = batches.FindIndex(b => b.Last >= offset);
        if (first < 0)
        {
            return [];
        }

        if (batches[first].Size > maxBytes)
        {
            return minOneMessage ? [batches[first].Base] : [];
        }

        var result = new List<long>();
        var taken = 0L;
        for (var i = first; i < batches.Count && SegmentOf(batches[i].Base) == SegmentOf(batches[first].Base) && taken + batches[i].Size <= maxBytes; i++)
        {
            result.Add(batches[i].Base);
            taken += batches[i].Size;
        }

        return result;
    }

    private static List<long> Found(ReadOnlySpan<byte> records)
    {
        var found = new List<long>();
        while (!records.IsEmpty)
        {
            Assert.True(records.Length >= RecordBatch.HeaderSize && RecordBatch.TotalSize(records) <= records.Length, "only whole batches");
            found.Add(RecordBatch.BaseOffset(records));
            records = records[RecordBatch.TotalSize(records)..];
        }

        return found;
    }
}
