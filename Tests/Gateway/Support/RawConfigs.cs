using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// DescribeConfigs and IncrementalAlterConfigs on a bare connection, for what Confluent.Kafka cannot name: the
/// cluster default entity (an empty BROKER resource name, which Kafka's own tools use), BROKER_LOGGER resources
/// (type 8), and brokers that do not exist.
/// </summary>
public static class RawConfigs
{
    public const sbyte Broker = 4;
    public const sbyte BrokerLogger = 8;

    public static DescribeConfigsResponse.DescribeConfigsResult Describe(this BrokerFixture broker, sbyte type, string name, params string[] keys)
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        var response = client.Call<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = type, ResourceName = name, ConfigurationKeys = keys.Length == 0 ? null : [.. keys] }],
            IncludeSynonyms = true,
            IncludeDocumentation = true,
        });
        return Assert.Single(response.Results);
    }

    /// <summary>One incremental change; returns Kafka's error code and message for the resource.</summary>
    public static (short Error, string? Message) Alter(
        this BrokerFixture broker, sbyte type, string name, string config, string? value, sbyte operation = 0, bool validateOnly = false)
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        var response = client.Call<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, new IncrementalAlterConfigsRequest
        {
            Resources = [new() { ResourceType = type, ResourceName = name, Configs = [new() { Name = config, ConfigOperation = operation, Value = value }] }],
            ValidateOnly = validateOnly,
        });
        var result = Assert.Single(response.Responses);
        return (result.ErrorCode, result.ErrorMessage);
    }

    /// <summary>Sets a config of the cluster default entity, and asserts that it was taken.</summary>
    public static void SetClusterDefault(this BrokerFixture broker, string config, string? value) =>
        Assert.Equal((0, null), broker.Alter(Broker, "", config, value));

    public static void DeleteClusterDefault(this BrokerFixture broker, string config) =>
        Assert.Equal((0, null), broker.Alter(Broker, "", config, null, operation: 1));
}
