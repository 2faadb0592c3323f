using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Clients of message formats 0 and 1, on bare connections pinned to the versions they send: Produce v0-v2 carry
/// legacy message sets, plain and in gzip wrappers, which are stored as record batches; Fetch v0-v3 read them (and
/// anything else) converted down, Fetch v4 and later as the record batches stored; ListOffsets v0 answers from
/// segments. Every record keeps its offset, key, value and, from magic 1, timestamp.
/// </summary>
public sealed class OldMessageFormatTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const long T = 1_700_000_000_000;

    /// <summary>The eight records written by <see cref="ProduceEveryOldFormatAsync"/>, as a magic 2 reader sees them.</summary>
    private static readonly DecodedRecord[] Written =
    [
        new(0, RecordBatch.NoTimestamp, "k0", "v0", ""),
        new(1, RecordBatch.NoTimestamp, null, "v1", ""),
        new(2, RecordBatch.NoTimestamp, "k2", "v2", ""),
        new(3, RecordBatch.NoTimestamp, "k3", null, ""),
        new(4, T + 4, "k4", "v4", ""),
        new(5, T + 5, "k5", "v5", ""),
        new(6, T + 6, "k6", "v6", ""),
        new(7, T + 7, "k7", "v7", ""),
    ];

    /// <summary>
    /// Four produces, each of a format an old client sends: v0 with two plain magic 0 messages, v1 with a gzip magic 0
    /// wrapper of two, v2 with two plain magic 1 messages, v2 with a gzip magic 1 wrapper of two (relative offsets).
    /// The offsets the clients put in are not the ones the log assigns.
    /// </summary>
    private async Task ProduceEveryOldFormatAsync(string topic)
    {
        await broker.CreateAsync(topic, 1);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var sets = new (short Version, byte[] Set)[]
        {
            (0, [.. LegacyMessages.Message(0, 0, -1, "k0", "v0"), .. LegacyMessages.Message(1, 0, -1, null, "v1")]),
            (1, LegacyMessages.Wrapper(1, 0, CompressionType.Gzip, -1,
                [.. LegacyMessages.Message(0, 0, -1, "k2", "v2"), .. LegacyMessages.Message(1, 0, -1, "k3", null)])),
            (2, [.. LegacyMessages.Message(7, 1, T + 4, "k4", "v4"), .. LegacyMessages.Message(8, 1, T + 5, "k5", "v5")]),
            (2, LegacyMessages.Wrapper(1, 1, CompressionType.Gzip, T + 7,
                [.. LegacyMessages.Message(0, 1, T + 6, "k6", "v6"), .. LegacyMessages.Message(1, 1, T + 7, "k7", "v7")])),
        };

        var expectedBase = 0L;
        foreach (var (version, set) in sets)
        {
            var partition = Produce(client, version, topic, set);
            Assert.Equal((0, expectedBase), (partition.ErrorCode, partition.BaseOffset));
            expectedBase += 2;
        }
    }

    private static ProduceResponse.PartitionProduceResponse Produce(RawKafkaClient client, short version, string topic, byte[] set)
    {
        var response = client.Call<ProduceResponse>(ApiKey.Produce, version, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = topic, PartitionData = [new() { Index = 0, Records = set }] }],
        });
        return Assert.Single(Assert.Single(response.Responses).PartitionResponses);
    }

    private static FetchResponse.PartitionData Fetch(RawKafkaClient client, short version, string topic, long offset, int partitionMaxBytes = 1 << 20)
    {
        var response = client.Call<FetchResponse>(ApiKey.Fetch, version, new FetchRequest
        {
            MaxWaitMs = 100,
            MinBytes = 1,
            MaxBytes = 1 << 20,
            Topics = [new() { Topic = topic, Partitions = [new() { Partition = 0, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes }] }],
        });
        return Assert.Single(Assert.Single(response.Responses).Partitions);
    }

    private static ListOffsetsResponse.ListOffsetsPartitionResponse ListOffsets(RawKafkaClient client, short version, string topic, long timestamp, int maxNumOffsets = 1)
    {
        var response = client.Call<ListOffsetsResponse>(ApiKey.ListOffsets, version, new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, Timestamp = timestamp, MaxNumOffsets = maxNumOffsets }] }],
        });
        return Assert.Single(Assert.Single(response.Topics).Partitions);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(17)]
    public async Task OldMessageSets_ProducedAtV0ToV2_AreReadByNewFetchers_AsRecordBatches(short fetchVersion)
    {
        var topic = $"old-produce-new-fetch-{fetchVersion}";
        await ProduceEveryOldFormatAsync(topic);
        using var client = new RawKafkaClient(broker.KafkaPort);
        if (fetchVersion >= 13)
        {
            var id = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [new() { Name = topic }] }).Topics[0].TopicId;
            var response = client.Call<FetchResponse>(ApiKey.Fetch, fetchVersion, new FetchRequest
            {
                MaxWaitMs = 100,
                MinBytes = 1,
                MaxBytes = 1 << 20,
                Topics = [new() { TopicId = id, Partitions = [new() { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] }],
            });
            var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
            Assert.Equal(Written, Batches.Decode(partition.Records!.Value));
            return;
        }

        var fetched = Fetch(client, fetchVersion, topic, 0);

        Assert.Equal((0, 8L), (fetched.ErrorCode, fetched.HighWatermark));
        Assert.Equal(Written, Batches.Decode(fetched.Records!.Value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task OldFetchers_ReadEveryRecord_ConvertedDownToTheirMessageFormat(short fetchVersion)
    {
        var topic = $"old-fetch-{fetchVersion}";
        await ProduceEveryOldFormatAsync(topic);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var fetched = Fetch(client, fetchVersion, topic, 0);

        Assert.Equal((0, 8L), (fetched.ErrorCode, fetched.HighWatermark));
        var magic = fetchVersion <= 1 ? LegacyRecord.MagicV0 : LegacyRecord.MagicV1;
        var (magics, ending) = Messages(fetched.Records!.Value);
        Assert.Equal(LegacyReadStatus.End, ending);
        Assert.All(magics, m => Assert.Equal(magic, m));
        var expected = magic == LegacyRecord.MagicV0 ? Written.Select(r => r with { Timestamp = RecordBatch.NoTimestamp }) : Written;
        Assert.Equal(expected, LegacyMessages.Decode(fetched.Records!.Value.Span));
    }

    [Fact]
    public async Task RecordBatchesOfNewProducers_AreConvertedDownForOldFetchers_WithoutRecordsBeforeTheFetchOffset()
    {
        await broker.FillAsync("new-produce-old-fetch", 5);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var fetched = Fetch(client, 2, "new-produce-old-fetch", 3);

        var records = LegacyMessages.Decode(fetched.Records!.Value.Span);
        Assert.Equal([3L, 4], records.Select(r => r.Offset));
        Assert.Equal(["r3", "r4"], records.Select(r => r.Value));
        Assert.All(records, r => Assert.True(r.Timestamp > 0));
    }

    [Fact]
    public async Task FetchV0ToV2_AreCutAtThePartitionLimit_MidMessage_WhileV3ReturnsAWholeFirstBatchPastIt()
    {
        await ProduceEveryOldFormatAsync("old-fetch-limits");
        using var client = new RawKafkaClient(broker.KafkaPort);

        var tiny = Fetch(client, 2, "old-fetch-limits", 0, partitionMaxBytes: 10);
        var whole = Fetch(client, 3, "old-fetch-limits", 0, partitionMaxBytes: 10);

        Assert.Equal((0, 8L, 10), (tiny.ErrorCode, tiny.HighWatermark, tiny.Records!.Value.Length));
        Assert.Equal((0, LegacyReadStatus.Malformed), (Messages(tiny.Records.Value).Magics.Count, Messages(tiny.Records.Value).Ending));
        Assert.Equal(Written[..2], LegacyMessages.Decode(whole.Records!.Value.Span).Select(r => r with { Timestamp = RecordBatch.NoTimestamp }));
    }

    [Fact]
    public async Task OldFetchers_AreRefused_TopicsWithDownConversionOff_AndZstdTopics()
    {
        await broker.CreateAsync("no-down-conversion", 1, new() { ["message.downconversion.enable"] = "false" });
        await broker.CreateAsync("zstd-topic", 1, new() { ["compression.type"] = "zstd" });
        using var client = new RawKafkaClient(broker.KafkaPort);
        Assert.Equal(0, Produce(client, 2, "no-down-conversion", LegacyMessages.Message(0, 1, T, "k", "v")).ErrorCode);
        Assert.Equal(0, Produce(client, 2, "zstd-topic", LegacyMessages.Message(0, 1, T, "k", "v")).ErrorCode);

        var refused = Fetch(client, 3, "no-down-conversion", 0);
        var zstd = Fetch(client, 1, "zstd-topic", 0);

        Assert.Equal((short)KafkaError.UnsupportedVersion, refused.ErrorCode);
        Assert.Equal((short)KafkaError.UnsupportedCompressionType, zstd.ErrorCode);
        Assert.Equal(0, Fetch(client, 4, "no-down-conversion", 0).ErrorCode);
    }

    [Fact]
    public async Task OldProduce_OfAMalformedMessage_IsRefusedWithCorruptMessage_AndAppendsNothing()
    {
        await broker.CreateAsync("old-corrupt", 1);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var message = LegacyMessages.Message(0, 1, T, "k", "v");
        message[^1] ^= 0xFF;

        var refused = Produce(client, 2, "old-corrupt", message);

        Assert.Equal((short)KafkaError.CorruptMessage, refused.ErrorCode);
        Assert.Equal(0L, ListOffsets(client, 1, "old-corrupt", -1).Offset);
    }

    [Fact]
    public async Task ListOffsetsV0_AnswersSegmentOffsets_UpToMaxNumOffsets_AndV1TheOffsetOfATimestamp()
    {
        await ProduceEveryOldFormatAsync("old-list-offsets");
        using var client = new RawKafkaClient(broker.KafkaPort);

        Assert.Equal([8L], ListOffsets(client, 0, "old-list-offsets", -1).OldStyleOffsets);
        Assert.Equal([8L, 0], ListOffsets(client, 0, "old-list-offsets", -1, maxNumOffsets: 10).OldStyleOffsets);
        Assert.Equal([0L], ListOffsets(client, 0, "old-list-offsets", -2, maxNumOffsets: 10).OldStyleOffsets);
        Assert.Empty(ListOffsets(client, 0, "old-list-offsets", -1, maxNumOffsets: 0).OldStyleOffsets);
        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, ListOffsets(client, 0, "old-list-offsets-missing", -1).ErrorCode);

        var latest = ListOffsets(client, 1, "old-list-offsets", -1);
        var earliest = ListOffsets(client, 1, "old-list-offsets", -2);
        var byTime = ListOffsets(client, 1, "old-list-offsets", T + 5);
        Assert.Equal((0, 8L), (latest.ErrorCode, latest.Offset));
        Assert.Equal((0, 0L), (earliest.ErrorCode, earliest.Offset));
        Assert.Equal((0, 5L, T + 5), (byTime.ErrorCode, byTime.Offset, byTime.Timestamp));
    }

    [Fact]
    public async Task ListOffsets_OfASpecialTimestampNewerThanTheVersion_IsUnsupportedVersion_ForThatPartition()
    {
        await broker.CreateAsync("special-timestamps", 1);
        using var client = new RawKafkaClient(broker.KafkaPort);

        Assert.Equal((short)KafkaError.UnsupportedVersion, ListOffsets(client, 6, "special-timestamps", -3).ErrorCode);
        Assert.Equal((short)KafkaError.UnsupportedVersion, ListOffsets(client, 7, "special-timestamps", -4).ErrorCode);
        Assert.Equal((short)KafkaError.UnsupportedVersion, ListOffsets(client, 0, "special-timestamps", -3).ErrorCode);
        Assert.Equal(0, ListOffsets(client, 7, "special-timestamps", -3).ErrorCode);
        Assert.Equal((0, -1L), (ListOffsets(client, 9, "special-timestamps", -5).ErrorCode, ListOffsets(client, 9, "special-timestamps", -5).Offset));
    }

    /// <summary>The magic of each whole top-level message of a set, and what ends the set (a partial message is malformed).</summary>
    private static (List<byte> Magics, LegacyReadStatus Ending) Messages(ReadOnlyMemory<byte> set)
    {
        var magics = new List<byte>();
        var reader = new LegacyMessageSetReader(set.Span);
        LegacyReadStatus status;
        while ((status = reader.Next(out var message)) == LegacyReadStatus.Message)
        {
            magics.Add(message.Magic);
        }

        return (magics, status);
    }
}

/// <summary>A broker with <c>Tributary:Kafka:AcceptOldMessageFormats</c> off: Kafka 4's floor.</summary>
public sealed class OldMessageFormatsRefusedFixture : BrokerFixture
{
    protected override IReadOnlyList<string> Settings => ["--Tributary:Kafka:AcceptOldMessageFormats", "false"];
}

/// <summary>
/// With old message formats refused, as Kafka 4 refuses them: Fetch starts at v4 and Produce v0-v2, still advertised
/// from v0 for older librdkafka versions, is answered UNSUPPORTED_VERSION; the non-record APIs keep their old versions.
/// </summary>
public sealed class OldMessageFormatsRefusedTests(OldMessageFormatsRefusedFixture broker) : IClassFixture<OldMessageFormatsRefusedFixture>
{
    [Fact]
    public void ApiVersions_AdvertisesFetchFromV4_AndProduceAndListOffsetsFromV0()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        var response = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "probe", ClientSoftwareVersion = "1" });
        var ranges = response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey, k => (k.MinVersion, k.MaxVersion));

        Assert.Equal((4, 17), ranges[ApiKey.Fetch]);
        Assert.Equal((0, 11), ranges[ApiKey.Produce]);
        Assert.Equal((0, 9), ranges[ApiKey.ListOffsets]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ProduceV0ToV2_IsUnsupportedVersion_AndAppendsNothing(short version)
    {
        var topic = $"refused-produce-{version}";
        await broker.CreateAsync(topic, 1);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<ProduceResponse>(ApiKey.Produce, version, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = topic, PartitionData = [new() { Index = 0, Records = LegacyMessages.Message(0, (byte)(version == 2 ? 1 : 0), 1, "k", "v") }] }],
        });

        Assert.Equal((short)KafkaError.UnsupportedVersion, Assert.Single(Assert.Single(response.Responses).PartitionResponses).ErrorCode);
        var end = client.Call<ListOffsetsResponse>(ApiKey.ListOffsets, 0, new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, Timestamp = -1, MaxNumOffsets = 1 }] }],
        });
        Assert.Equal([0L], Assert.Single(Assert.Single(end.Topics).Partitions).OldStyleOffsets);
    }

    [Fact]
    public void FetchV3_IsRefused_AsAnyVersionOutsideTheAdvertisedRange()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        client.SendRaw(RawKafkaClient.Frame(ApiKey.Fetch, 3, 1, new FetchRequest { MaxBytes = 1024 }));

        Assert.True(client.IsClosedByBroker());
    }
}
