using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// ApiVersions advertises exactly what the broker serves: every advertised API and version is dispatched to a handler
/// and answered, nothing served goes unadvertised, and versions outside the advertised ranges are refused, so that
/// clients choose versions, and guess the broker's release, from the truth.
/// </summary>
public sealed class ApiVersionsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    /// <summary>Kafka's broker-to-broker and controller APIs (kafka-wire.md), which a broker never offers to clients.</summary>
    private static readonly HashSet<short> InterBrokerApis =
        [4, 5, 6, 7, 27, 52, 53, 54, 55, 56, 58, 59, 62, 63, 64, 67, 70, 73, 80, 81, 82, 83, 84, 85, 86, 87];

    private Dictionary<ApiKey, (short Min, short Max)> Advertised()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        var response = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "probe", ClientSoftwareVersion = "1" });
        Assert.Equal(0, response.ErrorCode);
        return response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey, k => (k.MinVersion, k.MaxVersion));
    }

    [Fact]
    public void EveryAdvertisedApiAndVersion_IsInTheDispatchTable_AndEveryServedApiIsAdvertised()
    {
        var advertised = Advertised();
        var handlers = broker.Services.GetRequiredService<KafkaApis>().All.ToDictionary(h => h.ApiKey, h => (h.MinVersion, h.MaxVersion));

        Assert.Equal(handlers.OrderBy(h => h.Key), advertised.OrderBy(a => a.Key));
        foreach (var (key, (min, max)) in advertised)
        {
            Assert.True(ApiMessages.IsKnown(key), $"{key} is advertised but the codec does not know it");
            var (lowest, highest, _) = ApiMessages.Versions(key);
            Assert.True(lowest <= min && min <= max && max <= highest, $"{key} v{min}-{max} is outside Kafka 3.9's v{lowest}-{highest}");
            for (var version = min; version <= max; version++)
            {
                Assert.True(broker.Services.GetRequiredService<KafkaApis>().TryGet(key, out var handler) && handler.MinVersion <= version && version <= handler.MaxVersion);
            }
        }

        Assert.DoesNotContain(advertised.Keys, key => InterBrokerApis.Contains((short)key));
        Assert.Contains(ApiKey.DescribeTopicPartitions, advertised.Keys);
        Assert.Contains(ApiKey.ListClientMetricsResources, advertised.Keys);
    }

    [Fact]
    public void EveryAdvertisedVersion_OfEveryApi_IsAnsweredInFull_OnTheSameConnection()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        foreach (var (key, (min, max)) in Advertised().OrderBy(a => a.Key))
        {
            for (var version = min; version <= max; version++)
            {
                var id = client.Send(key, version, MinimalRequest(key));

                var (correlationId, _, unread) = client.Receive(key, version);

                Assert.Equal(id, correlationId);
                Assert.True(unread == 0, $"{key} v{version}: {unread} bytes after the response body");
            }
        }
    }

    [Theory]
    [InlineData(ApiKey.Produce)]
    [InlineData(ApiKey.Fetch)]
    [InlineData(ApiKey.ListOffsets)]
    [InlineData(ApiKey.Metadata)]
    [InlineData(ApiKey.OffsetForLeaderEpoch)]
    [InlineData(ApiKey.FindCoordinator)]
    [InlineData(ApiKey.CreateTopics)]
    [InlineData(ApiKey.DescribeCluster)]
    [InlineData(ApiKey.ListClientMetricsResources)]
    [InlineData(ApiKey.DescribeTopicPartitions)]
    public void AtEachBoundaryOfTheAdvertisedRange_ARequestIsServedInside_AndRefusedOutside(ApiKey key)
    {
        var (min, max) = Advertised()[key];

        foreach (var version in new[] { min, max })
        {
            using var client = new RawKafkaClient(broker.KafkaPort);
            var id = client.Send(key, version, MinimalRequest(key));
            var (correlationId, body, unread) = client.Receive(key, version);
            Assert.Equal((id, 0), (correlationId, unread));
            AssertServed(key, body);
        }

        // Kafka closes the connection of a request in a version it does not serve (only ApiVersions answers one).
        foreach (var version in new[] { (short)(min - 1), (short)(max + 1) }.Where(v => v >= 0))
        {
            using var client = new RawKafkaClient(broker.KafkaPort);
            client.SendRaw(RawKafkaClient.Frame(key, version, 1, MinimalRequest(key)));
            Assert.True(client.IsClosedByBroker(), $"{key} v{version} was not refused");
        }
    }

    [Fact]
    public void DescribeQuorum_IsNotServed_ForThereIsNoRaftQuorum()
    {
        Assert.DoesNotContain((ApiKey)55, Advertised().Keys);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var frame = RawKafkaClient.Frame(ApiKey.ListClientMetricsResources, 0, 1, new ListClientMetricsResourcesRequest());
        frame[4] = 0;
        frame[5] = 55;

        client.SendRaw(frame);

        Assert.True(client.IsClosedByBroker());
    }

    /// <summary>The smallest request of the API that is answered at once and changes nothing that matters.</summary>
    private static IKafkaMessage MinimalRequest(ApiKey key)
    {
        var request = ApiMessages.CreateRequest(key);
        switch (request)
        {
            case ProduceRequest produce:
                produce.Acks = 1;
                produce.TimeoutMs = 1000;
                break;
            case MetadataRequest metadata:
                metadata.Topics = [];
                break;
            case ApiVersionsRequest versions:
                versions.ClientSoftwareName = "probe";
                versions.ClientSoftwareVersion = "1";
                break;
            case FetchRequest fetch:
                fetch.MaxBytes = 1024;
                fetch.SessionEpoch = -1;
                break;
            case ListOffsetsRequest offsets:
                offsets.ReplicaId = -1;
                break;
            case OffsetForLeaderEpochRequest epochs:
                epochs.ReplicaId = -1;
                break;
        }

        return request;
    }

    /// <summary>What an empty request of each sampled API is answered with when served.</summary>
    private static void AssertServed(ApiKey key, IKafkaMessage body)
    {
        switch (body)
        {
            case MetadataResponse metadata:
                Assert.Equal(1, Assert.Single(metadata.Brokers).NodeId);
                break;
            case FetchResponse fetch:
                Assert.Equal(0, fetch.ErrorCode);
                break;
            case FindCoordinatorResponse coordinator:
                Assert.Equal(0, coordinator.ErrorCode);
                break;
            case DescribeClusterResponse cluster:
                Assert.Equal(0, cluster.ErrorCode);
                Assert.Equal(1, Assert.Single(cluster.Brokers).BrokerId);
                break;
            case ListClientMetricsResourcesResponse metrics:
                Assert.Equal(0, metrics.ErrorCode);
                Assert.Empty(metrics.ClientMetricsResources);
                break;
            case ProduceResponse produce:
                Assert.Empty(produce.Responses);
                break;
            case ListOffsetsResponse offsets:
                Assert.Empty(offsets.Topics);
                break;
            case OffsetForLeaderEpochResponse epochs:
                Assert.Empty(epochs.Topics);
                break;
            case CreateTopicsResponse created:
                Assert.Empty(created.Topics);
                break;
            case DescribeTopicPartitionsResponse partitions:
                Assert.Null(partitions.NextCursor);
                break;
            default:
                Assert.Fail($"{key}: no expectation for {body.GetType().Name}");
                break;
        }
    }
}
