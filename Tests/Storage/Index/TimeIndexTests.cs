using Tributary.Grains.Storage.Index;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Index;

public sealed class TimeIndexTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private TimeIndex Create() => new(_temp.Combine("00000000000000000000.timeindex"), 0, 1024);

    [Fact]
    public void MaybeAppend_KeepsOnlyGrowingTimestamps()
    {
        var index = Create();
        index.MaybeAppend(1000, 5);
        index.MaybeAppend(900, 6);
        index.MaybeAppend(1000, 7);
        index.MaybeAppend(1500, 9);

        Assert.Equal(2, index.Count);
        Assert.Equal((1500L, 9L), index.LastEntry);
    }

    [Fact]
    public void Lookup_FindsTheLargestTimestampNotAboveTheTarget()
    {
        var index = Create();
        index.MaybeAppend(1000, 5);
        index.MaybeAppend(2000, 9);

        Assert.Null(index.Lookup(999));
        Assert.Equal((1000L, 5L), index.Lookup(1999));
        Assert.Equal((2000L, 9L), index.Lookup(5000));
    }

    [Fact]
    public void Persisted_Entries_LoadBack_AndOffsetsPastTheLogAreRejected()
    {
        var index = Create();
        index.MaybeAppend(1000, 5);
        index.MaybeAppend(2000, 9);
        index.Persist(fsync: false);

        Assert.Equal(24, new FileInfo(_temp.Combine("00000000000000000000.timeindex")).Length);
        Assert.True(Create().TryLoad(nextOffset: 10));
        Assert.False(Create().TryLoad(nextOffset: 9));
    }
}
