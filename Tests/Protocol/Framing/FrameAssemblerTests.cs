using System.Buffers;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Tests.Protocol.Framing;

public sealed class FrameAssemblerTests
{
    private static byte[] Frame(params byte[] body) => [.. BitConverter.GetBytes(body.Length).Reverse(), .. body];

    [Fact]
    public void EveryTruncatedPrefix_NeedsMoreBytes_AndTheRestCompletesTheFrame()
    {
        var frame = Frame(1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (var split = 0; split < frame.Length; split++)
        {
            using var assembler = new FrameAssembler(1024);
            var first = new ReadOnlySequence<byte>(frame, 0, split);
            Assert.False(assembler.TryAssemble(ref first, out _));
            Assert.True(first.IsEmpty, "what arrived is consumed, not left in the input");

            var rest = new ReadOnlySequence<byte>(frame, split, frame.Length - split);
            Assert.True(assembler.TryAssemble(ref rest, out var assembled));
            Assert.Equal(frame[4..], assembled.ToArray());
            PooledBuffer.Release(assembled);
        }
    }

    [Fact]
    public void SeveralFramesInOneRead_AreCutApart_OneByOne()
    {
        byte[] bytes = [.. Frame(1), .. Frame(2, 2), .. Frame(), .. Frame(3, 3, 3)];
        using var assembler = new FrameAssembler(1024);
        var input = new ReadOnlySequence<byte>(bytes);
        var frames = new List<byte[]>();
        while (assembler.TryAssemble(ref input, out var frame))
        {
            frames.Add(frame.ToArray());
        }

        Assert.Equal([[1], [2, 2], [], [3, 3, 3]], frames);
        Assert.False(assembler.HasPartialFrame);
    }

    [Fact]
    public void TheSize_IsKnownBeforeTheFrameIsTaken_AndTheFrameIsTakenWhenTheCallerIsReady()
    {
        var frame = Frame(1, 2, 3, 4, 5);
        using var assembler = new FrameAssembler(1024);
        var input = new ReadOnlySequence<byte>(frame, 0, 2);
        Assert.False(assembler.TryReadSize(ref input, out _));

        input = new ReadOnlySequence<byte>(frame, 2, frame.Length - 2);
        Assert.True(assembler.TryReadSize(ref input, out var size));
        Assert.Equal(5, size);
        Assert.Equal(5, input.Length);
        Assert.True(assembler.TryReadSize(ref input, out var again), "the size stays known until the frame is taken");
        Assert.Equal((5, 5L), (again, input.Length));

        Assert.True(assembler.TryAssemble(ref input, out var assembled));
        Assert.Equal(frame[4..], assembled.ToArray());
        Assert.False(assembler.HasPartialFrame);
        PooledBuffer.Release(assembled);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1025)]
    [InlineData(int.MaxValue)]
    public void ASizeOutsideTheLimit_IsMalformed_BeforeAnythingIsAllocated(int size)
    {
        using var assembler = new FrameAssembler(1024);
        var input = new ReadOnlySequence<byte>([.. BitConverter.GetBytes(size).Reverse(), 0, 0]);

        Assert.Throws<MalformedRequestException>(() => assembler.TryAssemble(ref input, out _));
    }
}
