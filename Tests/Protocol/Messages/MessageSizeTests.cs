using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>
/// Every message of the Kafka API at every version it has: <see cref="IKafkaApiMessage.Size"/> is exactly what
/// <see cref="IKafkaMessage.Write"/> writes, whether the fields are empty, short, long (lengths of several varint
/// bytes, arrays of more than 127 elements) or null where they may be.
/// </summary>
public sealed class MessageSizeTests
{
    public static TheoryData<string> ApiMessageTypes => new(GeneratedMessages.Names<IKafkaApiMessage>());

    private static readonly MessageFiller.Shape Long = new(MaxLength: 300, NullChance: 0, MaxCount: 130);

    private static readonly MessageFiller.Shape Sparse = new(MaxLength: 0, NullChance: 0.4);

    [Fact]
    public void EveryRequestResponseAndHeader_KnowsItsSize()
    {
        var gatewayMessages = GeneratedMessages.LoadableTypes(typeof(ProduceRequest).Assembly)
            .Where(t => t.Namespace == typeof(ProduceRequest).Namespace && typeof(IKafkaMessage).IsAssignableFrom(t))
            .ToList();

        Assert.True(gatewayMessages.Count > 60, $"only {gatewayMessages.Count} messages found");
        Assert.All(gatewayMessages, t => Assert.True(typeof(IKafkaApiMessage).IsAssignableFrom(t), t.Name));
        Assert.Equal(gatewayMessages.Count, ApiMessageTypes.Count);
    }

    [Theory]
    [MemberData(nameof(ApiMessageTypes))]
    public void EveryVersion_SizeIsTheBytesWritten(string name)
    {
        var type = GeneratedMessages.TypeOf(name);
        var (lowest, highest) = GeneratedMessages.Versions(type);
        for (var version = lowest; version <= highest; version++)
        {
            var empty = (IKafkaApiMessage)Activator.CreateInstance(type)!;
            AssertSize(empty, version, "empty");

            var filled = (IKafkaApiMessage)Activator.CreateInstance(type)!;
            MessageFiller.Fill(filled, new Random(version * 31 + name.Length));
            AssertSize(filled, version, "filled");

            for (var seed = 0; seed < 8; seed++)
            {
                var sparse = (IKafkaApiMessage)Activator.CreateInstance(type)!;
                MessageFiller.Fill(sparse, new Random(version * 1000 + seed), Sparse);
                AssertSize(sparse, version, $"sparse #{seed}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ApiMessageTypes))]
    public void LongValuesAtEveryVersion_AreSizedExactly_AndTheirTaggedFieldsReadBack(string name)
    {
        var type = GeneratedMessages.TypeOf(name);
        var (lowest, highest) = GeneratedMessages.Versions(type);
        for (var version = lowest; version <= highest; version++)
        {
            var message = (IKafkaApiMessage)Activator.CreateInstance(type)!;
            MessageFiller.Fill(message, new Random(version + name.Length), Long);
            var bytes = AssertSize(message, version, "long");

            // A tagged field's length is now written from its size, not from a scratch copy: the reader must agree.
            var copy = (IKafkaApiMessage)Activator.CreateInstance(type)!;
            var reader = new KafkaReader(bytes);
            copy.Read(ref reader, version);
            Assert.True(reader.IsAtEnd, $"{name} v{version}: {reader.Remaining} bytes left unread");
            Assert.Equal(bytes, GeneratedMessages.Write(copy, version));
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(127u)]
    [InlineData(128u)]
    [InlineData(16_383u)]
    [InlineData(16_384u)]
    [InlineData(2_097_151u)]
    [InlineData(2_097_152u)]
    [InlineData(268_435_455u)]
    [InlineData(268_435_456u)]
    [InlineData(uint.MaxValue)]
    public void AnUnsignedVarintsSize_IsTheBytesTheWriterWrites(uint value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteUnsignedVarint(value);

        Assert.Equal(buffer.WrittenCount, KafkaSizes.UnsignedVarint(value));
    }

    private static byte[] AssertSize(IKafkaApiMessage message, short version, string shape)
    {
        var bytes = GeneratedMessages.Write(message, version);
        var size = message.Size(version);
        Assert.True(size == bytes.Length, $"{message.GetType().Name} v{version} ({shape}): Size says {size}, Write wrote {bytes.Length}");
        return bytes;
    }
}
