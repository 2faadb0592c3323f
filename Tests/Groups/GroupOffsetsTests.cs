using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Groups;

namespace Tributary.Tests.Groups;

public sealed class GroupOffsetsTests
{
    private readonly GroupOffsets _offsets = new(new GroupOptions { OffsetsRetention = TimeSpan.FromMinutes(10), OffsetMetadataMaxBytes = 8 });

    [Fact]
    public void Commits_AreKept_ExceptOnesWithMetadataOverTheLimit()
    {
        var errors = _offsets.Commit([(new TopicPartition("t", 0), new CommittedOffset(5, 0, "ok", 1)), (new TopicPartition("t", 1), new CommittedOffset(7, 0, "much too long", 1))]);

        Assert.Equal([ErrorCode.None, ErrorCode.OffsetMetadataTooLarge], errors);
        Assert.Equal(5, _offsets.Get(new TopicPartition("t", 0))!.Offset);
        Assert.Null(_offsets.Get(new TopicPartition("t", 1)));
    }

    [Fact]
    public void Offsets_ExpireOnlyForAnEmptyGroup_AfterTheRetention()
    {
        const long minute = 60_000;
        _offsets.Commit([(new TopicPartition("t", 0), new CommittedOffset(5, 0, null, 0))]);

        Assert.False(_offsets.Expire(GroupState.Stable, 0, 60 * minute));
        Assert.False(_offsets.Expire(GroupState.Empty, 55 * minute, 60 * minute));
        Assert.True(_offsets.Expire(GroupState.Empty, 50 * minute, 60 * minute));
        Assert.Equal(0, _offsets.Count);
    }

    [Fact]
    public void ExpiredOffsets_AreNamed_SoThatTheirTombstonesCanBeWritten()
    {
        const long minute = 60_000;
        _offsets.Commit([(new TopicPartition("t", 0), new CommittedOffset(5, 0, null, 0)), (new TopicPartition("t", 1), new CommittedOffset(6, 0, null, 55 * minute))]);

        var expired = _offsets.ExpireOffsets(GroupState.Empty, 0, 60 * minute);

        Assert.Equal([new TopicPartition("t", 0)], expired);
        Assert.Equal(6, _offsets.Get(new TopicPartition("t", 1))!.Offset);
        Assert.Empty(_offsets.ExpireOffsets(GroupState.Stable, 0, 120 * minute));
    }
}
