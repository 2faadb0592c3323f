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

    [Fact]
    public void FreeBlocksBeyondTheLastIntervalsPeak_AreLetGo_AndNoneAfterTwoIdleIntervals()
    {
        using var pool = new ReceiveBlockMemoryPool(time: null);
        var burst = Enumerable.Range(0, 8).Select(_ => pool.Rent()).ToList();
        burst.ForEach(b => b.Dispose());
        Assert.Equal(8, pool.FreeBlocks);

        // The interval of the burst: its eight stay ready for the next one.
        pool.Trim();
        Assert.Equal(8, pool.FreeBlocks);

        // An interval with two in use at most: six go.
        var two = new[] { pool.Rent(), pool.Rent() };
        Array.ForEach(two, b => b.Dispose());
        pool.Trim();
        Assert.Equal(2, pool.FreeBlocks);

        // An idle interval: none kept.
        pool.Trim();
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void ATrimKeepsWhatIsInUseNow_AndRentedBlocksGoBackToThePool()
    {
        using var pool = new ReceiveBlockMemoryPool(time: null);
        var held = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        pool.Trim();
        pool.Trim();
        held.ForEach(b => b.Dispose());
        Assert.Equal(3, pool.FreeBlocks);
    }
}
