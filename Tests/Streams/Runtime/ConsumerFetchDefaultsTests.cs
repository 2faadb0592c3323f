using Confluent.Kafka;
using Tributary.Grains.Streams.Runtime;

namespace Tributary.Tests.Streams.Runtime;

/// <summary>
/// The library's consumers fetch a drained partition again within a poll interval, not librdkafka's second, unless
/// the application configures <c>fetch.queue.backoff.ms</c> itself.
/// </summary>
public sealed class ConsumerFetchDefaultsTests
{
    [Fact]
    public void WithoutASettingOfItsOwn_AConsumerLooksAgainAfterOnePollInterval()
    {
        var config = new ConsumerConfig().FetchAgainWithin(TimeSpan.FromMilliseconds(100));

        Assert.Equal("100", config.Get("fetch.queue.backoff.ms"));
    }

    [Fact]
    public void TheApplicationsOwnSetting_IsKept()
    {
        var config = new ConsumerConfig(new Dictionary<string, string> { ["fetch.queue.backoff.ms"] = "750" })
            .FetchAgainWithin(TimeSpan.FromMilliseconds(100));

        Assert.Equal("750", config.Get("fetch.queue.backoff.ms"));
    }

    [Fact]
    public void APollIntervalUnderAMillisecond_StillBacksOffOne()
    {
        var config = new ConsumerConfig().FetchAgainWithin(TimeSpan.Zero);

        Assert.Equal("1", config.Get("fetch.queue.backoff.ms"));
    }
}
