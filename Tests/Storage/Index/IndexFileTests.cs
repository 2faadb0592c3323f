using System.Runtime.CompilerServices;
using Tributary.Grains.Storage.Index;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Index;

/// <summary>What the offset and time indexes share: incremental persistence, truncation, growth, loading.</summary>
public sealed class IndexFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string OffsetPath => _temp.Combine("00000000000000000100.index");

    private string TimePath => _temp.Combine("00000000000000000100.timeindex");

    private OffsetIndex Offsets(int maxBytes = 1 << 20) => new(OffsetPath, 100, maxBytes);

    private TimeIndex Times() => new(TimePath, 100, 1 << 20);

    [Fact]
    public void Persist_WritesOnlyTheNewEntries_AndTheFileLoadsBackWhole()
    {
        var index = Offsets();
        index.Append(101, 10);
        index.Append(102, 20);
        index.Persist(fsync: false);

        // Overwrite the first entry behind the index's back: a second persist must not write it again.
        using (var file = File.OpenWrite(OffsetPath))
        {
            file.Write([0, 0, 0, 1, 0, 0, 0, 11]);
        }

        index.Append(103, 30);
        index.Persist(fsync: true);

        var loaded = Offsets();
        Assert.True(loaded.TryLoad(logSize: 1000));
        Assert.Equal(3, loaded.Count);
        Assert.Equal((101L, 11), loaded.Lookup(101));
        Assert.Equal((103L, 30), loaded.LastEntry);
    }

    [Fact]
    public void Entries_GrowPastTheFirstAllocation_AndStaySearchable()
    {
        var index = Times();
        for (var i = 0; i < 1000; i++)
        {
            index.MaybeAppend(1000 + i * 10, 100 + i);
        }

        Assert.Equal(1000, index.Count);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal((1000L + i * 10, 100L + i), index.Lookup(1000 + i * 10 + 5));
        }

        index.Persist(fsync: false);
        Assert.Equal(1000 * TimeIndex.EntrySize, new FileInfo(TimePath).Length);
    }

    [Fact]
    public void TruncateToOffset_DropsEntriesAtOrAboveIt_AndTheFileFollows()
    {
        var index = Times();
        index.MaybeAppend(1000, 101);
        index.MaybeAppend(2000, 105);
        index.MaybeAppend(3000, 109);
        index.Persist(fsync: false);

        index.TruncateToOffset(105);
        index.Persist(fsync: false);

        Assert.Equal(1, index.Count);
        Assert.Equal((1000L, 101L), index.LastEntry);
        Assert.Equal(TimeIndex.EntrySize, new FileInfo(TimePath).Length);
        Assert.True(Times().TryLoad(nextOffset: 200));
    }

    [Fact]
    public void Clear_EmptiesTheFileOnPersist()
    {
        var index = Offsets();
        index.Append(101, 10);
        index.Persist(fsync: false);

        index.Clear();
        index.Persist(fsync: false);

        Assert.Equal(0, index.Count);
        Assert.Equal((100L, 0), index.LastEntry);
        Assert.Equal(0, new FileInfo(OffsetPath).Length);
    }

    [Fact]
    public void TryLoad_RefusesAFileWithATornEntry_AndHoldsNothing()
    {
        var index = Times();
        index.MaybeAppend(1000, 101);
        index.Persist(fsync: false);
        File.AppendAllBytes(TimePath, [1, 2, 3]);

        var loaded = Times();
        Assert.False(loaded.TryLoad(nextOffset: 200));
        Assert.Equal(0, loaded.Count);
        Assert.Null(loaded.LastEntry);
    }

    [Fact]
    public void TryLoad_OfAMissingFile_HoldsNothing()
    {
        var index = Offsets();

        Assert.False(index.TryLoad(logSize: 1000));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Entries_InMemory_TakeNoMoreThanOnDisk()
    {
        Assert.Equal(OffsetIndex.EntrySize, Unsafe.SizeOf<OffsetIndex.Entry>());
        Assert.Equal(TimeIndex.EntrySize, Unsafe.SizeOf<TimeIndex.Entry>());
    }
}
