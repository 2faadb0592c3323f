using Tributary.Grains.Connect.Runtime.Config;

namespace Tributary.Tests.Connect.Runtime.Config;

public sealed class ClientOverridesTests
{
    [Fact]
    public void TheOverridesTasksHonour_AreTaken_WithKafkasDefaults()
    {
        Assert.Equal(new ClientOverrides("none", "earliest", 500), ClientOverrides.From(new Dictionary<string, string>()));
        Assert.Equal(new ClientOverrides("zstd", "latest", 10), ClientOverrides.From(new Dictionary<string, string>
        {
            ["producer.override.compression.type"] = "ZSTD",
            ["consumer.override.auto.offset.reset"] = "latest",
            ["consumer.override.max.poll.records"] = "10",
        }));
    }

    [Fact]
    public void AnOverrideTasksWouldNotHonour_IsRefused_NotIgnored()
    {
        var errors = ClientOverrides.Validate(new Dictionary<string, string>
        {
            ["producer.override.linger.ms"] = "5",
            ["consumer.override.max.poll.records"] = "0",
            ["consumer.override.auto.offset.reset"] = "earliest",
        }, "All").ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Key == "producer.override.linger.ms" && e.Message.Contains("cannot be honoured", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "consumer.override.max.poll.records" && e.Message.EndsWith("Value must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public void ThePolicyNone_RefusesEveryOverride()
    {
        var errors = ClientOverrides.Validate(new Dictionary<string, string> { ["consumer.override.auto.offset.reset"] = "latest" }, "None").ToList();

        Assert.Equal([("consumer.override.auto.offset.reset", "The 'None' policy does not allow 'consumer.override.auto.offset.reset' to be overridden in the connector configuration.")], errors);
    }
}
