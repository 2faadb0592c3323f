using Tributary.Gateway.Kafka.Listeners;

namespace Tributary.Tests.Gateway.Kafka.Listeners;

public sealed class ReceiveBlockMemoryPoolTests
{
    [Fact]
    public void ABlockHoldsA64KiBReceive_AndIsReusedOnceReturned()
    {
        using var pool = new ReceiveBlockMemoryPool();
        var first = pool.Rent(4096);
        Assert.Equal(64 * 1024, first.Memory.Length);
        first.Memory.Span.Fill(7);
        first.Dispose();

        using var second = pool.Rent();
        Assert.Equal(7, second.Memory.Span[^1]);
    }

    [Fact]
    public void ABlockDisposedTwice_IsHandedToOneOwnerOnly()
    {
        using var pool = new ReceiveBlockMemoryPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void MoreThanABlock_IsRefused_SoThatPipesTakeLargerBuffersElsewhere()
    {
        using var pool = new ReceiveBlockMemoryPool();
        Assert.Equal(64 * 1024, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(64 * 1024 + 1));
    }
}
