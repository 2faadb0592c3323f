using System.Text;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Connect.Runtime.Records;

public sealed class KafkaPartitionerTests
{
    // Kafka's UtilsTest.testMurmur2 vectors.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_MatchesKafkasTestVectors(string key, int expected)
    {
        Assert.Equal(expected, KafkaPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void PartitionFor_IsMurmur2MadePositive_ModuloThePartitionCount()
    {
        var key = Encoding.UTF8.GetBytes("foobar");

        Assert.Equal((-790332482 & 0x7fffffff) % 6, KafkaPartitioner.PartitionFor(key, 6));
    }

    [Fact]
    public void PartitionFor_IsAlwaysInRange_AndStable()
    {
        for (var i = 0; i < 200; i++)
        {
            var key = Encoding.UTF8.GetBytes("key-" + i);
            var partition = KafkaPartitioner.PartitionFor(key, 7);

            Assert.InRange(partition, 0, 6);
            Assert.Equal(partition, KafkaPartitioner.PartitionFor(key, 7));
        }
    }
}
