using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class PartitionLogLegacyOffsetsTests : IDisposable
{
    private const long Start = 1_700_000_000_000;
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Start));

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Combine("topic-0");

    /// <summary>Segments at 0, 15, 30 and 45 last written 4, 3, 2 and 1 s before now; the log ends at 50.</summary>
    private async Task<PartitionLog> FourSegmentsAsync()
    {
        var batchSize = Batches.Make(5, first: 1000).Length;
        var log = PartitionLog.Open(Dir, LogConfig.Default with { SegmentBytes = batchSize * 3 }, false, _time);
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(Batches.Make(5, first: i * 5));
        }

        Assert.Equal([0L, 15, 30, 45], log.SegmentBaseOffsets);
        foreach (var (offset, age) in new[] { (0L, 4000), (15L, 3000), (30L, 2000), (45L, 1000) })
        {
            File.SetLastWriteTimeUtc(Path.Combine(Dir, $"{offset:D20}.log"), DateTimeOffset.FromUnixTimeMilliseconds(Start - age).UtcDateTime);
        }

        return log;
    }

    [Fact]
    public async Task Latest_IsTheLogEndOffset_ThenTheSegmentsBaseOffsets_HighestFirst()
    {
        await using var log = await FourSegmentsAsync();

        Assert.Equal([50L], log.LegacyOffsetsBefore(-1, 1, fromConsumer: true));
        Assert.Equal([50L, 45, 30], log.LegacyOffsetsBefore(-1, 3, fromConsumer: true));
        Assert.Equal([50L, 45, 30, 15, 0], log.LegacyOffsetsBefore(-1, 100, fromConsumer: false));
    }

    [Fact]
    public async Task Earliest_IsTheFirstSegment()
    {
        await using var log = await FourSegmentsAsync();

        Assert.Equal([0L], log.LegacyOffsetsBefore(-2, 10, fromConsumer: true));
    }

    [Fact]
    public async Task ATimestamp_StartsFromTheLastSegmentWrittenAtOrBeforeIt()
    {
        await using var log = await FourSegmentsAsync();

        Assert.Equal([15L, 0], log.LegacyOffsetsBefore(Start - 2500, 10, fromConsumer: true));
        Assert.Equal([30L], log.LegacyOffsetsBefore(Start - 2000, 1, fromConsumer: true));
        Assert.Equal([50L, 45, 30, 15, 0], log.LegacyOffsetsBefore(Start, 10, fromConsumer: true));
        Assert.Empty(log.LegacyOffsetsBefore(Start - 5000, 10, fromConsumer: true));
        Assert.Empty(log.LegacyOffsetsBefore(-1, 0, fromConsumer: true));
    }

    [Fact]
    public async Task TheLogStartOffset_IsTheFloorOfEveryCandidate()
    {
        await using var log = await FourSegmentsAsync();
        log.DeleteRecordsBefore(20);

        Assert.Equal([20L], log.LegacyOffsetsBefore(-2, 1, fromConsumer: true));
    }

    [Fact]
    public async Task AnEmptyLog_AnswersZero()
    {
        await using var log = PartitionLog.Open(Dir, LogConfig.Default, false, _time);

        Assert.Equal([0L], log.LegacyOffsetsBefore(-1, 1, fromConsumer: true));
        Assert.Equal([0L], log.LegacyOffsetsBefore(-2, 1, fromConsumer: true));
    }
}
