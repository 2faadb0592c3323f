using System.Text;
using Tributary.Grains.Streams.Internals;

namespace Tributary.Tests.Streams.Internals;

public sealed class Murmur2PartitionerTests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_HashesAsKafkasUtils(string data, int hash)
    {
        // Kafka's UtilsTest.testMurmur2 cases.
        Assert.Equal(hash, Murmur2Partitioner.Murmur2(Encoding.ASCII.GetBytes(data)));
    }
}
