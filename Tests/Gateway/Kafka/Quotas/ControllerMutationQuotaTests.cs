using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Tests.Gateway.Kafka.Quotas;

/// <summary>The token bucket of Kafka's controller mutation quota, on a fake clock: 10 partitions a second, bursts of 110.</summary>
public sealed class ControllerMutationQuotaTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControllerMutationQuota _quota;

    public ControllerMutationQuotaTests() =>
        _quota = new ControllerMutationQuota(Options.Create(new KafkaListenerOptions { ControllerMutationRate = 10 }), _time);

    [Fact]
    public void AStrictQuota_AllowsOneMutationPastTheBurst_ThenRefusesUntilTheBucketRefills()
    {
        Assert.True(_quota.TryAcquire("c", 100, strict: true));
        Assert.Equal(0, _quota.ThrottleTimeMs("c"));
        Assert.True(_quota.TryAcquire("c", 30, strict: true));
        Assert.Equal(2_000, _quota.ThrottleTimeMs("c"));
        Assert.False(_quota.TryAcquire("c", 1, strict: true));

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(500, _quota.ThrottleTimeMs("c"));
        Assert.False(_quota.TryAcquire("c", 1, strict: true));

        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(_quota.TryAcquire("c", 1, strict: true));
    }

    [Fact]
    public void APermissiveQuota_NeverRefuses_ButCountsAndThrottles()
    {
        Assert.True(_quota.TryAcquire("c", 200, strict: false));
        Assert.True(_quota.TryAcquire("c", 10, strict: false));

        Assert.Equal(10_000, _quota.ThrottleTimeMs("c"));
    }

    [Fact]
    public void EachClientId_HasABucketOfItsOwn()
    {
        Assert.True(_quota.TryAcquire("greedy", 200, strict: true));

        Assert.True(_quota.TryAcquire("polite", 1, strict: true));
        Assert.Equal(0, _quota.ThrottleTimeMs("polite"));
    }

    [Fact]
    public void ARefund_GivesBackWhatAFailedMutationTook_NoMoreThanTheBurst()
    {
        Assert.True(_quota.TryAcquire("c", 150, strict: true));
        _quota.Refund("c", 150);
        Assert.Equal(0, _quota.ThrottleTimeMs("c"));

        _quota.Refund("c", 1_000);
        Assert.True(_quota.TryAcquire("c", 110, strict: true));
        Assert.Equal(0, _quota.ThrottleTimeMs("c"));
        Assert.True(_quota.TryAcquire("c", 1, strict: true));
        Assert.Equal(100, _quota.ThrottleTimeMs("c"));
    }

    [Fact]
    public void ARateOfZero_IsNoQuota()
    {
        var none = new ControllerMutationQuota(Options.Create(new KafkaListenerOptions { ControllerMutationRate = 0 }), _time);

        Assert.True(none.TryAcquire("c", 1_000_000, strict: true));
        Assert.True(none.TryAcquire("c", 1, strict: true));
        Assert.Equal(0, none.ThrottleTimeMs("c"));
    }

    [Theory]
    [InlineData(ApiKey.CreateTopics, 5, false)]
    [InlineData(ApiKey.CreateTopics, 6, true)]
    [InlineData(ApiKey.CreatePartitions, 2, false)]
    [InlineData(ApiKey.CreatePartitions, 3, true)]
    [InlineData(ApiKey.DeleteTopics, 4, false)]
    [InlineData(ApiKey.DeleteTopics, 5, true)]
    public void TheQuotaIsStrict_FromTheVersionsKafkaMakesItSo(ApiKey key, short version, bool strict) =>
        Assert.Equal(strict, ControllerMutationQuota.IsStrict(key, version));
}
