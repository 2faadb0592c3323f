using Tributary.Grains.KafkaFormats.OffsetsTopic;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Tests.KafkaFormats.OffsetsTopic;

/// <summary>The records of __consumer_offsets, against bytes laid out by hand from Kafka's message definitions.</summary>
public sealed class OffsetsTopicRecordTests
{
    [Fact]
    public void OffsetCommitKey_IsVersionOneWithGroupTopicAndPartition()
    {
        byte[] expected = [0, 1, 0, 1, (byte)'g', 0, 2, (byte)'t', (byte)'p', 0, 0, 0, 3];

        Assert.Equal(expected, new OffsetCommitKey("g", "tp", 3).Serialize());
        Assert.Equal(new OffsetCommitKey("g", "tp", 3), OffsetsTopicKey.Deserialize(expected));
    }

    [Fact]
    public void OffsetCommitKey_VersionZero_ReadsAsVersionOne()
    {
        byte[] versionZero = [0, 0, 0, 1, (byte)'g', 0, 1, (byte)'t', 0, 0, 0, 0];

        Assert.Equal(new OffsetCommitKey("g", "t", 0), OffsetsTopicKey.Deserialize(versionZero));
    }

    [Fact]
    public void GroupMetadataKey_IsVersionTwoWithTheGroup()
    {
        byte[] expected = [0, 2, 0, 3, (byte)'a', (byte)'b', (byte)'c'];

        Assert.Equal(expected, new GroupMetadataKey("abc").Serialize());
        Assert.Equal(new GroupMetadataKey("abc"), OffsetsTopicKey.Deserialize(expected));
    }

    [Fact]
    public void Key_OfAnUnknownVersion_IsMalformed()
    {
        Assert.Throws<MalformedRequestException>(() => OffsetsTopicKey.Deserialize(new byte[] { 0, 3, 0, 0 }));
    }

    [Fact]
    public void OffsetCommitValue_VersionThree_CarriesTheLeaderEpoch()
    {
        byte[] expected =
        [
            0, 3,
            0, 0, 0, 0, 0, 0, 0, 42,
            0, 0, 0, 5,
            0, 1, (byte)'m',
            0, 0, 0, 0, 0, 0, 3, 232,
        ];
        var value = new OffsetCommitValue(42, 5, "m", 1000);

        Assert.Equal(expected, value.Serialize());
        Assert.Equal(value, OffsetCommitValue.Deserialize(expected));
    }

    [Fact]
    public void OffsetCommitValue_VersionOne_CarriesTheExpireTimestamp_AndNoLeaderEpoch()
    {
        byte[] versionOne =
        [
            0, 1,
            0, 0, 0, 0, 0, 0, 0, 7,
            0, 0,
            0, 0, 0, 0, 0, 0, 0, 100,
            0, 0, 0, 0, 0, 0, 0, 200,
        ];

        Assert.Equal(new OffsetCommitValue(7, -1, "", 100, 200), OffsetCommitValue.Deserialize(versionOne));
        Assert.Equal(versionOne, new OffsetCommitValue(7, -1, "", 100, 200).Serialize(1));
    }

    [Fact]
    public void OffsetCommitValue_VersionFour_IsFlexible_AndSkipsUnknownTaggedFields()
    {
        byte[] versionFour =
        [
            0, 4,
            0, 0, 0, 0, 0, 0, 0, 9,
            0xFF, 0xFF, 0xFF, 0xFF,
            2, (byte)'x',
            0, 0, 0, 0, 0, 0, 0, 1,
            1, 7, 2, 0xAB, 0xCD,
        ];

        Assert.Equal(new OffsetCommitValue(9, -1, "x", 1), OffsetCommitValue.Deserialize(versionFour));
    }

    [Fact]
    public void GroupMetadataValue_VersionThree_LaysOutMembersAsKafkaDoes()
    {
        byte[] expected =
        [
            0, 3,
            0, 8, .. "consumer"u8,
            0, 0, 0, 2,
            0, 5, .. "range"u8,
            0, 2, (byte)'m', (byte)'1',
            0, 0, 0, 0, 0, 0, 0, 50,
            0, 0, 0, 1,
            0, 2, (byte)'m', (byte)'1',
            0xFF, 0xFF,
            0, 1, (byte)'c',
            0, 1, (byte)'h',
            0, 0, 0x75, 0x30,
            0, 0, 0x27, 0x10,
            0, 0, 0, 2, 1, 2,
            0, 0, 0, 1, 3,
        ];
        var value = new GroupMetadataValue("consumer", 2, "range", "m1", 50,
            [new GroupMetadataMember("m1", null, "c", "h", 30000, 10000, [1, 2], [3])]);

        Assert.Equal(expected, value.Serialize());
        var read = GroupMetadataValue.Deserialize(expected);
        Assert.Equal(("consumer", 2, "range", "m1", 50L), (read.ProtocolType, read.Generation, read.Protocol, read.Leader, read.CurrentStateTimestamp));
        var member = Assert.Single(read.Members);
        Assert.Equal(("m1", (string?)null, "c", "h", 30000, 10000), (member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost, member.RebalanceTimeout, member.SessionTimeout));
        Assert.Equal(new byte[] { 1, 2 }, member.Subscription);
        Assert.Equal(new byte[] { 3 }, member.Assignment);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void GroupMetadataValue_RoundTrips_AtEveryVersion_WithTheFieldsThatVersionHas(short version)
    {
        var value = new GroupMetadataValue("consumer", 7, null, null, 99,
            [new GroupMetadataMember("m", "static-1", "c", "/127.0.0.1", 300, 45, [9], [])]);

        var read = GroupMetadataValue.Deserialize(value.Serialize(version));

        Assert.Equal((7, version >= 2 ? 99L : -1L), (read.Generation, read.CurrentStateTimestamp));
        var member = Assert.Single(read.Members);
        Assert.Equal(version >= 3 ? "static-1" : null, member.GroupInstanceId);
        Assert.Equal(version >= 1 ? 300 : -1, member.RebalanceTimeout);
        Assert.Equal(45, member.SessionTimeout);
    }

    [Fact]
    public void EmptyGroup_HasNoProtocolNoLeaderAndNoMembers()
    {
        var read = GroupMetadataValue.Deserialize(new GroupMetadataValue("consumer", 3, null, null, 5, []).Serialize());

        Assert.Equal(("consumer", 3, (string?)null, (string?)null, 0), (read.ProtocolType, read.Generation, read.Protocol, read.Leader, read.Members.Count));
    }
}
