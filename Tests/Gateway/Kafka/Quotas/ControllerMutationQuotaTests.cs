using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Tests.Gateway.Kafka.Quotas;

/// <summary>The token bucket of Kafka's controller mutation quota, on a fake clock: 10 partitions a second, bursts of 110.</summary>
public sealed class ControllerMutationQuotaTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControllerMutationQuota _quota;

    public ControllerMutationQuotaTests() => _quota = Quota(10);

    /// <summary>Without quota entities read (a fresh broker's quotas), only the silo's default rate applies.</summary>
    private ControllerMutationQuota Quota(double rate)
    {
        var options = Options.Create(new KafkaListenerOptions { ControllerMutationRate = rate });
        return new ControllerMutationQuota(options, ClientQuotas.Reading(_ => Task.FromResult<ClientQuotaSnapshot?>(null), options, NullLogger<ClientQuotas>.Instance, _time), _time);
    }

    private static KafkaRequest R(string clientId) =>
        new(ApiKey.CreateTopics, 7, 1, clientId, new CreateTopicsRequest(), "connection", "/127.0.0.1");

    [Fact]
    public void AStrictQuota_AllowsOneMutationPastTheBurst_ThenRefusesUntilTheBucketRefills()
    {
        Assert.True(_quota.TryAcquire(R("c"), 100, strict: true));
        Assert.Equal(0, _quota.ThrottleTimeMs(R("c")));
        Assert.True(_quota.TryAcquire(R("c"), 30, strict: true));
        Assert.Equal(2_000, _quota.ThrottleTimeMs(R("c")));
        Assert.False(_quota.TryAcquire(R("c"), 1, strict: true));

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(500, _quota.ThrottleTimeMs(R("c")));
        Assert.False(_quota.TryAcquire(R("c"), 1, strict: true));

        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(_quota.TryAcquire(R("c"), 1, strict: true));
    }

    [Fact]
    public void APermissiveQuota_NeverRefuses_ButCountsAndThrottles()
    {
        Assert.True(_quota.TryAcquire(R("c"), 200, strict: false));
        Assert.True(_quota.TryAcquire(R("c"), 10, strict: false));

        Assert.Equal(10_000, _quota.ThrottleTimeMs(R("c")));
    }

    [Fact]
    public void EachClientId_HasABucketOfItsOwn()
    {
        Assert.True(_quota.TryAcquire(R("greedy"), 200, strict: true));

        Assert.True(_quota.TryAcquire(R("polite"), 1, strict: true));
        Assert.Equal(0, _quota.ThrottleTimeMs(R("polite")));
    }

    [Fact]
    public void ARefund_GivesBackWhatAFailedMutationTook_NoMoreThanTheBurst()
    {
        Assert.True(_quota.TryAcquire(R("c"), 150, strict: true));
        _quota.Refund(R("c"), 150);
        Assert.Equal(0, _quota.ThrottleTimeMs(R("c")));

        _quota.Refund(R("c"), 1_000);
        Assert.True(_quota.TryAcquire(R("c"), 110, strict: true));
        Assert.Equal(0, _quota.ThrottleTimeMs(R("c")));
        Assert.True(_quota.TryAcquire(R("c"), 1, strict: true));
        Assert.Equal(100, _quota.ThrottleTimeMs(R("c")));
    }

    [Fact]
    public void ARateOfZero_IsNoQuota()
    {
        var none = Quota(0);

        Assert.True(none.TryAcquire(R("c"), 1_000_000, strict: true));
        Assert.True(none.TryAcquire(R("c"), 1, strict: true));
        Assert.Equal(0, none.ThrottleTimeMs(R("c")));
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
