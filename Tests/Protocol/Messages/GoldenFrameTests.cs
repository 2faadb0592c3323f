using System.Buffers;
using System.Text;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>
/// Request frames as librdkafka 2.16 (Confluent.Kafka) sent them, captured on the wire: the codec reads each one,
/// finds what the client put in it, and writes the very same bytes back.
/// </summary>
public sealed class GoldenFrameTests
{
    public static TheoryData<string, short, string> Frames => new()
    {
        { "ApiVersions", 3, "0012000300000001000772646b61666b610017636f6e666c75656e742d6b61666b612d646f746e657407322e31362e3000" },
        { "Metadata", 12, "0003000c00000002000772646b61666b610001000000" },
        { "CreateTopics", 4, "0013000400000003000772646b61666b61000000010006676f6c64656e0000000100010000000000000001000c726574656e74696f6e2e6d73000838363430303030300000ea6000" },
        { "Produce", 10, "0000000a00000003000772646b61666b610000ffff000075300207676f6c64656e020000000050000000000000000000000043000000000212dfbf6f0000000000000000018bcfe568000000018bcfe56800ffffffffffffffffffffffffffff0000000122000000046b310a68656c6c6f0202680276000000" },
        { "FindCoordinator", 2, "000a000200000003000772646b61666b6100016700" },
        { "ListOffsets", 7, "0002000700000003000772646b61666b6100ffffffff010207676f6c64656e020000000000000000fffffffffffffffe000000" },
        { "Fetch", 12, "0001000c00000004000772646b61666b6100ffffffff000001f400000001032000000100000000ffffffff0207676f6c64656e0200000000000000000000000000000000ffffffffffffffffffffffff001000000000010100" },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void ACapturedFrame_IsReadAndWrittenBackByteForByte(string api, short version, string hex)
    {
        var frame = Convert.FromHexString(hex);
        var key = RequestHeaders.ApiKeyOf(frame);
        Assert.Equal(api, key.ToString());
        Assert.Equal(version, RequestHeaders.ApiVersionOf(frame));

        var reader = new KafkaReader(frame);
        var header = new RequestHeader();
        var headerVersion = RequestHeaders.RequestHeaderVersion(key, version);
        header.Read(ref reader, headerVersion);
        var body = ApiMessages.CreateRequest(key);
        body.Read(ref reader, version);

        Assert.True(reader.IsAtEnd);
        Assert.Equal("rdkafka", header.ClientId);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        header.Write(ref writer, headerVersion);
        body.Write(ref writer, version);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer.WrittenSpan));
    }

    [Fact]
    public void TheCapturedRequests_CarryWhatTheClientSent()
    {
        var apiVersions = Read<ApiVersionsRequest>("ApiVersions", 3);
        Assert.Equal(("confluent-kafka-dotnet", "2.16.0"), (apiVersions.ClientSoftwareName, apiVersions.ClientSoftwareVersion));

        var create = Read<CreateTopicsRequest>("CreateTopics", 4);
        var topic = Assert.Single(create.Topics);
        Assert.Equal(("golden", 1, (short)1), (topic.Name, topic.NumPartitions, topic.ReplicationFactor));
        Assert.Equal(("retention.ms", "86400000"), (topic.Configs[0].Name, topic.Configs[0].Value));

        var produce = Read<ProduceRequest>("Produce", 10);
        Assert.Equal(-1, produce.Acks);
        var batch = Assert.Single(Assert.Single(produce.TopicData).PartitionData).Records!.Value.ToArray();
        Assert.True(RecordBatch.IsCrcValid(batch));
        Assert.Equal(1_700_000_000_000, RecordBatch.BaseTimestamp(batch));
        using var records = RecordsView.Open(batch);
        var recordReader = records.GetReader();
        Assert.Equal(RecordReadStatus.Record, recordReader.Next(out var record));
        Assert.Equal(("k1", "hello"), (Encoding.UTF8.GetString(record.Key), Encoding.UTF8.GetString(record.Value)));

        var fetch = Read<FetchRequest>("Fetch", 12);
        Assert.Equal((500, 1, (sbyte)1), (fetch.MaxWaitMs, fetch.MinBytes, fetch.IsolationLevel));
        Assert.Equal("golden", Assert.Single(fetch.Topics).Topic);

        var listOffsets = Read<ListOffsetsRequest>("ListOffsets", 7);
        Assert.Equal(-2, Assert.Single(Assert.Single(listOffsets.Topics).Partitions).Timestamp);
    }

    private static T Read<T>(string api, short version)
        where T : IKafkaMessage, new()
    {
        var hex = (string)Frames.Single(row => (string)row[0] == api && (short)row[1] == version)[2];
        var frame = Convert.FromHexString(hex);
        var key = RequestHeaders.ApiKeyOf(frame);
        var reader = new KafkaReader(frame);
        new RequestHeader().Read(ref reader, RequestHeaders.RequestHeaderVersion(key, version));
        var body = new T();
        body.Read(ref reader, version);
        return body;
    }
}
