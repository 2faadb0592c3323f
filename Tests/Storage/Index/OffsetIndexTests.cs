using Tributary.Grains.Storage.Index;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Index;

public sealed class OffsetIndexTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private OffsetIndex Create(int maxBytes = 1024) => new(_temp.Combine("00000000000000000100.index"), 100, maxBytes);

    [Fact]
    public void Lookup_FindsTheLargestEntryNotAboveTheOffset()
    {
        var index = Create();
        index.Append(104, 400);
        index.Append(110, 900);
        index.Append(120, 1500);

        Assert.Equal((100L, 0), index.Lookup(100));
        Assert.Equal((100L, 0), index.Lookup(103));
        Assert.Equal((104L, 400), index.Lookup(104));
        Assert.Equal((110L, 900), index.Lookup(119));
        Assert.Equal((120L, 1500), index.Lookup(long.MaxValue));
    }

    [Fact]
    public void Persisted_Entries_LoadBack_InKafkasEightByteFormat()
    {
        var index = Create();
        index.Append(101, 64);
        index.Append(300, 8192);
        index.Persist(fsync: true);

        var bytes = File.ReadAllBytes(_temp.Combine("00000000000000000100.index"));
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 64, 0, 0, 0, 200, 0, 0, 32, 0], bytes);
        var loaded = Create();
        Assert.True(loaded.TryLoad(logSize: 10_000));
        Assert.Equal((300L, 8192), loaded.Lookup(500));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 64, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 5, 0, 0, 0, 64, 0, 0, 0, 4, 0, 0, 0, 90 })]
    [InlineData(new byte[] { 0, 0, 0, 5, 0, 0, 0, 64, 0, 0, 0, 6, 0, 0, 0, 60 })]
    [InlineData(new byte[] { 0, 0, 0, 5, 0, 0, 39, 16 })]
    public void Load_RejectsAnIndexThatFailsTheSanityCheck(byte[] contents)
    {
        File.WriteAllBytes(_temp.Combine("00000000000000000100.index"), contents);

        Assert.False(Create().TryLoad(logSize: 10_000));
    }

    [Fact]
    public void TruncateToPosition_DropsEntriesAtOrPastIt_AndTheFileFollows()
    {
        var index = Create();
        index.Append(101, 64);
        index.Append(102, 128);
        index.Append(103, 256);
        index.Persist(fsync: false);

        index.TruncateToPosition(128);
        index.Persist(fsync: false);

        Assert.Equal(1, index.Count);
        Assert.Equal(8, new FileInfo(_temp.Combine("00000000000000000100.index")).Length);
    }

    [Fact]
    public void IsFull_WhenTheConfiguredSizeIsReached()
    {
        var index = Create(maxBytes: 16);
        index.Append(101, 1);
        Assert.False(index.IsFull);
        index.Append(102, 2);
        Assert.True(index.IsFull);
    }
}
