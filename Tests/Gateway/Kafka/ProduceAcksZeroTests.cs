using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A producer with acks=0 waits for no answer: as Kafka does, the broker closes its connection when a produce fails,
/// the only way such a client learns of it, and keeps it open when the produce succeeds.
/// </summary>
public sealed class ProduceAcksZeroTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static ProduceRequest Produce(string topic) => new()
    {
        Acks = 0,
        TimeoutMs = 10_000,
        TopicData = [new() { Name = topic, PartitionData = [new() { Index = 0, Records = Batches.Make(3) }] }],
    };

    [Fact]
    public async Task AFailedProduce_ClosesTheConnection_ASuccessfulOneDoesNot()
    {
        await broker.CreateAsync("acks-zero", 1);
        using (var client = new RawKafkaClient(broker.KafkaPort))
        {
            client.Send(ApiKey.Produce, 9, Produce("acks-zero"));
            var versions = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" });
            Assert.Equal(0, versions.ErrorCode);
        }

        using var failing = new RawKafkaClient(broker.KafkaPort);
        failing.Send(ApiKey.Produce, 9, Produce("acks-zero-never-created"));
        Assert.True(failing.IsClosedByBroker());
    }
}
