using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>What a well-behaved client never sends, sent on a bare connection.</summary>
public sealed class ProtocolEdgeTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private RawKafkaClient Connect() => new(broker.KafkaPort);

    private void AssertStillServing()
    {
        using var client = Connect();
        var response = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "probe", ClientSoftwareVersion = "1" });
        Assert.Equal(0, response.ErrorCode);
    }

    [Fact]
    public void ApiVersions_NewerThanKnown_IsAnsweredInTheV0LayoutWithOurRange()
    {
        using var client = Connect();
        var id = client.Send(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "x", ClientSoftwareVersion = "1" });
        client.SendRaw(RawKafkaClient.Frame(ApiKey.ApiVersions, 99, 77, new ApiVersionsRequest()).AsSpan()[..^1]);
        client.SendRaw([0]);

        Assert.Equal(id, client.Receive<ApiVersionsResponse>(ApiKey.ApiVersions, 3).CorrelationId);
        var (correlationId, fallback) = client.Receive<ApiVersionsResponse>(ApiKey.ApiVersions, 0);
        Assert.Equal(77, correlationId);
        Assert.Equal(35, fallback.ErrorCode);
        var only = Assert.Single(fallback.ApiKeys);
        Assert.Equal((18, 0, 4), (only.ApiKey, only.MinVersion, only.MaxVersion));
    }

    [Fact]
    public void ApiVersions_AdvertisesEveryServedApi_WithLibrdkafkasMinimums()
    {
        using var client = Connect();
        var response = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "probe", ClientSoftwareVersion = "1.0" });
        var ranges = response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey, k => (k.MinVersion, k.MaxVersion));

        Assert.Equal(((short)0, (short)4), ranges[ApiKey.ApiVersions]);
        Assert.Equal(0, ranges[ApiKey.FindCoordinator].MinVersion);
        Assert.True(ranges[ApiKey.Produce].MinVersion <= 3 && ranges[ApiKey.Produce].MaxVersion >= 7);
        Assert.True(ranges[ApiKey.Fetch].MinVersion <= 4 && ranges[ApiKey.Fetch].MaxVersion >= 10);
    }

    [Fact]
    public void ABadClientSoftwareName_IsInvalidRequest()
    {
        using var client = Connect();
        var response = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "bad name!", ClientSoftwareVersion = "1" });

        Assert.Equal(42, response.ErrorCode);
    }

    [Fact]
    public void PipelinedRequests_AreAnsweredInOrder()
    {
        using var client = Connect();
        var sent = new List<(int Id, ApiKey Key, short Version)>();
        var bytes = new List<byte>();
        for (var i = 0; i < 20; i++)
        {
            var (key, version, body) = (i % 3) switch
            {
                0 => (ApiKey.ApiVersions, (short)3, (Tributary.Grains.KafkaFormats.IKafkaMessage)new ApiVersionsRequest { ClientSoftwareName = "p", ClientSoftwareVersion = "1" }),
                1 => (ApiKey.Metadata, (short)12, new MetadataRequest { Topics = [] }),
                _ => (ApiKey.DescribeCluster, (short)0, new DescribeClusterRequest()),
            };
            bytes.AddRange(RawKafkaClient.Frame(key, version, 1000 + i, body));
            sent.Add((1000 + i, key, version));
        }

        client.SendRaw(bytes.ToArray());

        foreach (var (id, key, version) in sent)
        {
            var correlationId = key switch
            {
                ApiKey.ApiVersions => client.Receive<ApiVersionsResponse>(key, version).CorrelationId,
                ApiKey.Metadata => client.Receive<MetadataResponse>(key, version).CorrelationId,
                _ => client.Receive<DescribeClusterResponse>(key, version).CorrelationId,
            };
            Assert.Equal(id, correlationId);
        }
    }

    [Fact]
    public void GarbageBytes_CloseThatConnectionOnly()
    {
        using var bystander = Connect();
        using var client = Connect();
        // A whole frame whose content is noise: the size is right, nothing else is.
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(garbage, garbage.Length - 4);

        client.SendRaw(garbage);

        Assert.True(client.IsClosedByBroker());
        Assert.Equal(0, bystander.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 0, new ApiVersionsRequest()).ErrorCode);
        AssertStillServing();
    }

    [Fact]
    public void AnUnknownApiKey_AnUnsupportedVersion_OrATruncatedBody_CloseTheConnection()
    {
        var unknown = RawKafkaClient.Frame(ApiKey.ApiVersions, 0, 1, new ApiVersionsRequest());
        unknown[4] = 0x03;
        unknown[5] = 0xE7;
        byte[][] frames =
        [
            unknown,
            RawKafkaClient.Frame(ApiKey.AddPartitionsToTxn, 4, 2, new AddPartitionsToTxnRequest()),
            [0, 0, 0, 9, 0, 3, 0, 12, 0, 0, 0, 3, 0],
        ];
        foreach (var frame in frames)
        {
            using var client = Connect();
            client.SendRaw(frame);
            Assert.True(client.IsClosedByBroker());
        }

        AssertStillServing();
    }

    [Fact]
    public void AFrameOverTheSizeLimit_IsRefusedAtItsHeader()
    {
        using var client = Connect();

        client.SendRaw([0x7F, 0xFF, 0xFF, 0xF0]);

        Assert.True(client.IsClosedByBroker());
        AssertStillServing();
    }

    [Fact]
    public void ATruncatedFrameLeftHanging_DoesNotDisturbOthers()
    {
        using var client = Connect();
        var frame = RawKafkaClient.Frame(ApiKey.Metadata, 12, 5, new MetadataRequest { Topics = [] });
        client.SendRaw(frame.AsSpan()[..(frame.Length / 2)]);

        AssertStillServing();
        client.SendRaw(frame.AsSpan()[(frame.Length / 2)..]);
        Assert.Equal(5, client.Receive<MetadataResponse>(ApiKey.Metadata, 12).CorrelationId);
    }

    [Fact]
    public async Task DescribeLogDirs_ReportsThePartitionsAndTheirSizes()
    {
        await broker.CreateAsync("logdirs", 2);
        await Tributary.Grains.Interfaces.Partitions.PartitionGrainKey.Get(broker.Grains, "logdirs", 1)
            .AppendAsync(new Tributary.Grains.KafkaFormats.Records.RecordBatchBuilder().Append(1, null, new byte[500]).Build());
        using var client = Connect();

        var response = client.Call<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 4, new DescribeLogDirsRequest
        {
            Topics = [new() { Topic = "logdirs", Partitions = [0, 1] }],
        });

        var directory = Assert.Single(response.Results);
        Assert.Equal(broker.DataDirectory, directory.LogDir);
        Assert.True(directory.TotalBytes > 0 && directory.UsableBytes > 0);
        var partitions = Assert.Single(directory.Topics).Partitions.OrderBy(p => p.PartitionIndex).ToList();
        Assert.Equal(0, partitions[0].PartitionSize);
        Assert.True(partitions[1].PartitionSize > 500);
    }
}
