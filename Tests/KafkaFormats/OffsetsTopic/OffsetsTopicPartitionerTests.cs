using Tributary.Grains.KafkaFormats.OffsetsTopic;

namespace Tributary.Tests.KafkaFormats.OffsetsTopic;

public sealed class OffsetsTopicPartitionerTests
{
    // Expected values computed with Java: Utils.abs(groupId.hashCode()) % 50.
    [Theory]
    [InlineData("billing", -109829509, 9)]
    [InlineData("console-consumer-12345", 158455506, 6)]
    [InlineData("ünïcode-grüppe", 1800023767, 17)]
    [InlineData("polygenelubricants", int.MinValue, 0)]
    public void PartitionFor_IsKafkasHashOfTheGroupId(string groupId, int javaHashCode, int partition)
    {
        Assert.Equal(javaHashCode, OffsetsTopicPartitioner.JavaHashCode(groupId));
        Assert.Equal(partition, OffsetsTopicPartitioner.PartitionFor(groupId, 50));
    }

    [Fact]
    public void PartitionFor_StaysWithinThePartitionCount()
    {
        Assert.All(Enumerable.Range(0, 500), i => Assert.InRange(OffsetsTopicPartitioner.PartitionFor($"group-{i}", 7), 0, 6));
    }
}
