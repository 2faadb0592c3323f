using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Cleaner;

/// <summary>Retention by time and size applies only when <c>cleanup.policy</c> names <c>delete</c>, as in Kafka.</summary>
public sealed class CompactedRetentionTests : IDisposable
{
    private const long Start = 1_700_000_000_000;
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Start));

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    [InlineData(false, true, true)]
    public async Task OldSegments_GoByRetentionMs_OnlyWhenThePolicyNamesDelete(bool compact, bool delete, bool deletes)
    {
        var batchSize = Batches.Make(5).Length;
        var config = LogConfig.Default with { Compact = compact, Delete = delete, SegmentBytes = batchSize, RetentionMs = 60_000, RetentionBytes = batchSize };
        await using var log = PartitionLog.Open(_temp.Combine($"policy{compact}{delete}-0"), config, false, _time);
        for (var i = 0; i < 4; i++)
        {
            await log.AppendAsync(Batches.Make(5, timestamp: Start, first: i * 5));
        }

        _time.Advance(TimeSpan.FromMinutes(2));

        var deleted = log.EnforceRetention();

        Assert.Equal(deletes, deleted > 0);
        Assert.Equal(deletes, log.LogStartOffset > 0);
    }
}
