using System.Text;
using Tributary.Grains.Storage.Cleaner;

namespace Tributary.Tests.Storage.Cleaner;

public sealed class OffsetMapTests
{
    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key-{i}");

    [Fact]
    public void Get_AnswersTheLatestOffsetPutForEachKey_AndMinusOneForOthers()
    {
        var map = new OffsetMap(10_000 * OffsetMap.BytesPerEntry);
        for (var offset = 0; offset < 5_000; offset++)
        {
            map.Put(Key(offset % 1_000), offset);
        }

        Assert.Equal(1_000, map.Count);
        Assert.Equal(4_999, map.LatestOffset);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal(4_000 + i, map.Get(Key(i)));
        }

        Assert.Equal(-1, map.Get(Key(1_000)));
        Assert.Equal(-1, map.Get([]));
    }

    [Fact]
    public void AFullMap_RefusesNewKeys_ButTakesNewOffsetsOfKnownOnes()
    {
        var map = new OffsetMap(100 * OffsetMap.BytesPerEntry, loadFactor: 0.5);
        Assert.Equal(50, map.MaxEntries);
        for (var i = 0; i < 50; i++)
        {
            map.Put(Key(i), i);
        }

        Assert.True(map.IsFull);
        map.Put(Key(7), 100);
        Assert.Equal(100, map.Get(Key(7)));
        Assert.Throws<InvalidOperationException>(() => map.Put(Key(50), 101));
    }

    [Fact]
    public void Clear_EmptiesTheMap_ForTheNextCleaning()
    {
        var map = new OffsetMap(1_000 * OffsetMap.BytesPerEntry);
        map.Put(Key(1), 5);
        map.Clear();

        Assert.Equal((0, -1L, -1L), (map.Count, map.LatestOffset, map.Get(Key(1))));
    }

    [Fact]
    public void AMapWithEveryUsableSlotTaken_StillAnswersMissingKeys()
    {
        var map = new OffsetMap(8 * OffsetMap.BytesPerEntry, loadFactor: 1.0);
        Assert.Equal(7, map.MaxEntries);
        for (var i = 0; i < 7; i++)
        {
            map.Put(Key(i), i);
        }

        Assert.Equal(-1, map.Get(Key(99)));
    }
}
