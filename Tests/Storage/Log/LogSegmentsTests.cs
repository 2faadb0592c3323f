using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class LogSegmentsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<LogSegment> _created = [];

    public void Dispose()
    {
        foreach (var segment in _created)
        {
            segment.Dispose();
        }

        _temp.Dispose();
    }

    private LogSegment Segment(long baseOffset)
    {
        var segment = LogSegment.Create(_temp.Path, baseOffset, LogConfig.Default, 0);
        _created.Add(segment);
        return segment;
    }

    private LogSegments Segments(params long[] baseOffsets) => new(baseOffsets.Select(Segment));

    private static long[] BaseOffsets(ReadOnlySpan<LogSegment> segments) => segments.ToArray().Select(s => s.BaseOffset).ToArray();

    [Fact]
    public void Create_RequiresAtLeastOneSegment_InStrictlyIncreasingOrder()
    {
        Assert.Throws<ArgumentException>(() => new LogSegments([]));
        Assert.Throws<ArgumentException>(() => new LogSegments([Segment(10), Segment(0)]));
        Assert.Throws<ArgumentException>(() => new LogSegments([Segment(5), Segment(5)]));
    }

    [Fact]
    public void Active_IsTheNewestSegment_AndFirstTheOldest()
    {
        var segments = Segments(0, 10, 20);

        Assert.Equal(0, segments.First.BaseOffset);
        Assert.Equal(20, segments.Active.BaseOffset);
        Assert.Equal(3, segments.Count);
        Assert.Equal([0L, 10, 20], segments.BaseOffsets);
    }

    [Fact]
    public void Floor_FindsTheSegmentHoldingAnOffset_AndNothingBeforeTheFirst()
    {
        var segments = Segments(100, 110, 120);

        Assert.Null(segments.Floor(99));
        Assert.Equal(100, segments.Floor(100)?.BaseOffset);
        Assert.Equal(100, segments.Floor(109)?.BaseOffset);
        Assert.Equal(110, segments.Floor(110)?.BaseOffset);
        Assert.Equal(120, segments.Floor(long.MaxValue)?.BaseOffset);
    }

    [Fact]
    public void Higher_FindsTheFirstSegmentAfterAnOffset_AndNothingAfterTheActive()
    {
        var segments = Segments(100, 110, 120);

        Assert.Equal(100, segments.Higher(0)?.BaseOffset);
        Assert.Equal(110, segments.Higher(100)?.BaseOffset);
        Assert.Equal(120, segments.Higher(119)?.BaseOffset);
        Assert.Null(segments.Higher(120));
    }

    [Fact]
    public void From_StartsAtTheSegmentHoldingTheOffset_OrAtTheOldest()
    {
        var segments = Segments(100, 110, 120);

        Assert.Equal([100L, 110, 120], BaseOffsets(segments.From(0)));
        Assert.Equal([110L, 120], BaseOffsets(segments.From(115)));
        Assert.Equal([120L], BaseOffsets(segments.From(500)));
    }

    [Fact]
    public void InRange_ReturnsTheSegmentsThatMayHoldOffsetsOfTheRange()
    {
        var segments = Segments(100, 110, 120);

        Assert.Equal([100L, 110, 120], BaseOffsets(segments.InRange(0, long.MaxValue)));
        Assert.Equal([100L, 110], BaseOffsets(segments.InRange(105, 120)));
        Assert.Equal([110L, 120], BaseOffsets(segments.InRange(110, 121)));
        Assert.Equal([120L], BaseOffsets(segments.InRange(125, 130)));
        Assert.Empty(BaseOffsets(segments.InRange(0, 100)));
        Assert.Empty(BaseOffsets(segments.InRange(115, 115)));
        Assert.Empty(BaseOffsets(segments.InRange(115, 105)));
    }

    [Fact]
    public void Add_KeepsBaseOffsetOrder_AndReplacesTheSegmentWithTheSameBaseOffset()
    {
        var segments = Segments(0, 20);

        Assert.Null(segments.Add(Segment(30)));
        Assert.Null(segments.Add(Segment(10)));
        Assert.Equal([0L, 10, 20, 30], segments.BaseOffsets);

        var old = segments.Floor(20);
        var replacement = Segment(20);
        Assert.Same(old, segments.Add(replacement));
        Assert.Same(replacement, segments.Floor(25));
        Assert.Equal([0L, 10, 20, 30], segments.BaseOffsets);
    }

    [Fact]
    public void RemoveOldest_TakesAPrefixAtOnce_AndNeverTheActiveSegment()
    {
        var segments = Segments(0, 10, 20, 30);

        var removed = segments.RemoveOldest(2);

        Assert.Equal([0L, 10], removed.Select(s => s.BaseOffset));
        Assert.Equal([20L, 30], segments.BaseOffsets);
        Assert.Null(segments.Floor(15));
        Assert.Throws<ArgumentOutOfRangeException>(() => segments.RemoveOldest(2));
        Assert.Equal([20L, 30], segments.BaseOffsets);
    }

    [Fact]
    public void A_SnapshotTakenBeforeAChange_StaysAsItWas()
    {
        var segments = Segments(0, 10);
        var before = segments.All;

        segments.Add(Segment(20));
        segments.RemoveOldest(1);

        Assert.Equal([0L, 10], BaseOffsets(before));
        Assert.Equal([10L, 20], BaseOffsets(segments.All));
    }

    [Fact]
    public void SizeInBytes_SumsTheSegments()
    {
        var segments = Segments(0, 10);
        var batch = Batches.Make(3);
        segments.First.Append(batch);
        segments.Active.Append(batch);
        segments.Active.Append(batch);

        Assert.Equal(3L * batch.Length, segments.SizeInBytes);
    }

    [Fact]
    public void Close_ClosesTheFilesOfEverySegment()
    {
        var segments = Segments(0, 10);

        segments.Close();

        foreach (var segment in segments.All)
        {
            Assert.Throws<ObjectDisposedException>(() => segment.Append(Batches.Make(1)));
        }
    }
}
