using System.Buffers.Binary;
using System.IO.Pipelines;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Tests.Protocol.Framing;

/// <summary>
/// A response frame's length prefix is right through any <see cref="PipeWriter"/>, including one that keeps none of
/// the memory it was advanced past (the contract allows it to hand that memory on at once).
/// </summary>
public sealed class ResponseFramerTests
{
    public static TheoryData<short, int> FetchResponses => new()
    {
        { 4, 0 },
        { 4, 100_000 },
        { 11, 1 },
        { 12, 100 },
        { 16, 100_000 },
        { 17, 3_000_000 },
    };

    [Theory]
    [MemberData(nameof(FetchResponses))]
    public async Task AFetchResponse_FramedThroughAWriterThatCopiesOutOnAdvance_HasTheRightLengthPrefix(short version, int recordBytes)
    {
        var output = new CopyOutOnAdvanceWriter();
        var records = Records(recordBytes);

        ResponseFramer.Write(output, 42, RequestHeaders.ResponseHeaderVersion(ApiKey.Fetch, version), Fetch(records), version);
        await output.FlushAsync();

        AssertFrame(output.Written.ToArray(), version, records);
    }

    [Theory]
    [MemberData(nameof(FetchResponses))]
    public async Task AFetchResponse_FramedThroughAStreamPipeWriterWithTinyBuffers_HasTheRightLengthPrefix(short version, int recordBytes)
    {
        using var stream = new MemoryStream();
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 1, leaveOpen: true));
        var records = Records(recordBytes);

        ResponseFramer.Write(output, 42, RequestHeaders.ResponseHeaderVersion(ApiKey.Fetch, version), Fetch(records), version);
        await output.FlushAsync();
        await output.CompleteAsync();

        AssertFrame(stream.ToArray(), version, records);
    }

    [Fact]
    public async Task ResponsesFramedBackToBack_EachCarryTheirOwnLength()
    {
        var output = new CopyOutOnAdvanceWriter();
        ResponseFramer.Write(output, 1, 0, new ApiVersionsResponse { ApiKeys = [new() { ApiKey = 0, MinVersion = 3, MaxVersion = 11 }] }, 3);
        ResponseFramer.Write(output, 2, 1, new MetadataResponse { ClusterId = "c", Brokers = [new() { NodeId = 1, Host = "localhost", Port = 9092 }] }, 12);
        await output.FlushAsync();

        var bytes = output.Written.ToArray();
        var first = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var second = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + first));
        Assert.Equal(bytes.Length, 4 + first + 4 + second);
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + first + 4)));
    }

    private static byte[] Records(int length)
    {
        var records = new byte[length];
        new Random(length).NextBytes(records);
        return records;
    }

    private static FetchResponse Fetch(byte[] records) => new()
    {
        Responses =
        [
            new()
            {
                Topic = "orders",
                TopicId = Guid.NewGuid(),
                Partitions = [new() { PartitionIndex = 0, HighWatermark = 10, Records = records }],
            },
        ],
    };

    private static void AssertFrame(byte[] frame, short version, byte[] records)
    {
        Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32BigEndian(frame));
        var reader = new KafkaReader(frame.AsMemory(4));
        var header = new ResponseHeader();
        header.Read(ref reader, RequestHeaders.ResponseHeaderVersion(ApiKey.Fetch, version));
        var body = new FetchResponse();
        body.Read(ref reader, version);

        Assert.True(reader.IsAtEnd);
        Assert.Equal(42, header.CorrelationId);
        Assert.Equal(records, Assert.Single(Assert.Single(body.Responses).Partitions).Records!.Value.ToArray());
    }

    /// <summary>
    /// Keeps nothing it was advanced past: each <see cref="Advance"/> copies the bytes out and scribbles over the
    /// buffer, and every <see cref="GetMemory"/> hands out a fresh one, as small as the caller allows. A framer that
    /// wrote into memory after advancing past it would leave the scribble in the output.
    /// </summary>
    private sealed class CopyOutOnAdvanceWriter : PipeWriter
    {
        private byte[] _buffer = [];

        public MemoryStream Written { get; } = new();

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _buffer = new byte[Math.Max(sizeHint, 1)];
            return _buffer;
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            Written.Write(_buffer, 0, bytes);
            _buffer.AsSpan().Fill(0xEE);
        }

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
    }
}
