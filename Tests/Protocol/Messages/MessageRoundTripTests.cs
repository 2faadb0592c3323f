using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>Every generated message at every version it has: round trips, and refuses every truncated prefix.</summary>
public sealed class MessageRoundTripTests
{
    public static TheoryData<string> MessageTypes => new(GeneratedMessages.Names<IKafkaMessage>());

    private static Type TypeOf(string name) => GeneratedMessages.TypeOf(name);

    private static (short Lowest, short Highest) Versions(Type type) => GeneratedMessages.Versions(type);

    private static byte[] Write(IKafkaMessage message, short version) => GeneratedMessages.Write(message, version);

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void EveryVersion_RoundTripsByteForByte(string name)
    {
        var type = TypeOf(name);
        var (lowest, highest) = Versions(type);
        for (var version = lowest; version <= highest; version++)
        {
            var original = (IKafkaMessage)Activator.CreateInstance(type)!;
            MessageFiller.Fill(original, new Random(version * 7919 + name.Length));
            var bytes = Write(original, version);

            var copy = (IKafkaMessage)Activator.CreateInstance(type)!;
            var reader = new KafkaReader(bytes);
            copy.Read(ref reader, version);

            Assert.True(reader.IsAtEnd, $"{name} v{version}: {reader.Remaining} bytes left unread");
            Assert.Equal(bytes, Write(copy, version));
        }
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void EveryTruncatedPrefix_IsRefusedAsMalformed(string name)
    {
        var type = TypeOf(name);
        var (lowest, highest) = Versions(type);
        for (var version = lowest; version <= highest; version++)
        {
            var original = (IKafkaMessage)Activator.CreateInstance(type)!;
            MessageFiller.Fill(original, new Random(version));
            var bytes = Write(original, version);
            for (var length = 0; length < bytes.Length; length++)
            {
                var prefix = bytes.AsMemory(0, length);
                var ex = Record.Exception(() =>
                {
                    var reader = new KafkaReader(prefix);
                    ((IKafkaMessage)Activator.CreateInstance(type)!).Read(ref reader, version);
                });
                Assert.True(ex is MalformedRequestException, $"{name} v{version}, {length} of {bytes.Length} bytes: {ex?.GetType().Name ?? "parsed"}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void RandomBytes_AreEitherParsedOrRefusedAsMalformed_NeverAnotherFailure(string name)
    {
        var type = TypeOf(name);
        var (lowest, highest) = Versions(type);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var version = (short)random.Next(lowest, highest + 1);
            var ex = Record.Exception(() =>
            {
                var reader = new KafkaReader(bytes);
                ((IKafkaMessage)Activator.CreateInstance(type)!).Read(ref reader, version);
            });
            Assert.True(ex is null or MalformedRequestException, $"{name} v{version}: {ex}");
        }
    }

    [Fact]
    public void AStringNullableOnlyInLaterVersions_IsWrittenEmptyInTheVersionsBefore()
    {
        var response = new JoinGroupResponse { ErrorCode = 24, ProtocolName = null, Leader = "", MemberId = "" };

        var old = new JoinGroupResponse();
        var oldReader = new KafkaReader(Write(response, 5));
        old.Read(ref oldReader, 5);
        var current = new JoinGroupResponse();
        var currentReader = new KafkaReader(Write(response, 7));
        current.Read(ref currentReader, 7);

        Assert.Equal("", old.ProtocolName);
        Assert.Null(current.ProtocolName);
    }
}
