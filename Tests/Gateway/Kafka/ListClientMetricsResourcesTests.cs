using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>ListClientMetricsResources (KIP-714), which no client library here sends, over raw frames.</summary>
public sealed class ListClientMetricsResourcesTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public void ListClientMetricsResources_AnswersThatNoneIsConfigured()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<ListClientMetricsResourcesResponse>(ApiKey.ListClientMetricsResources, 0, new ListClientMetricsResourcesRequest());

        Assert.Equal(0, response.ErrorCode);
        Assert.Empty(response.ClientMetricsResources);
    }
}
