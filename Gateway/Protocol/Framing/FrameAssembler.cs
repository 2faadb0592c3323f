using System.Buffers;
using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Gateway.Protocol.Framing;

/// <summary>
/// Cuts a connection's byte stream into Kafka frames (<c>int32 size</c> + that many bytes), copying each frame's bytes
/// into one pooled buffer as they arrive, so the connection's input never holds more than what is in flight and a
/// frame is contiguous for parsing. <see cref="TryAssemble"/> consumes what it can and returns false when it needs
/// more bytes; it never returns part of a frame. <see cref="TryReadSize"/> stops once the size is known, before the
/// frame's buffer is rented, so that the caller may wait for memory first (Kafka's <c>queued.max.request.bytes</c>).
/// A size below zero, or above the limit (Kafka's <c>socket.request.max.bytes</c>), is a
/// <see cref="MalformedRequestException"/> before anything is allocated. Not thread-safe: one per connection.
/// </summary>
public sealed class FrameAssembler(int maxFrameBytes) : IDisposable
{
    private readonly byte[] _sizeBytes = new byte[4];
    private volatile Func<(int Bytes, string Setting)>? _limit;
    private int _sizeFilled;
    private PooledBuffer? _frame;
    private int _frameLength;
    private int _frameFilled;

    /// <summary>
    /// A limit that may change while the connection lives, asked for each frame (a SASL connection's
    /// <c>sasl.server.max.receive.size</c> until it is authenticated), with the setting it comes from; null for the one given.
    /// </summary>
    public Func<(int Bytes, string Setting)>? Limit
    {
        get => _limit;
        set => _limit = value;
    }

    /// <summary>True when part of a frame has been read and the rest is awaited.</summary>
    public bool HasPartialFrame => _sizeFilled > 0 || _frame is not null;

    /// <summary>
    /// Reads the next frame's size prefix, consuming what it needs from <paramref name="input"/>: true once the size is
    /// known (read now or by an earlier call), false when the input ran out first. Nothing is allocated.
    /// </summary>
    public bool TryReadSize(ref ReadOnlySequence<byte> input, out int size)
    {
        if (_sizeFilled < 4)
        {
            var take = (int)Math.Min(4 - _sizeFilled, input.Length);
            input.Slice(0, take).CopyTo(_sizeBytes.AsSpan(_sizeFilled));
            input = input.Slice(take);
            _sizeFilled += take;
            if (_sizeFilled < 4)
            {
                size = 0;
                return false;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(_sizeBytes);
            var (limit, setting) = _limit?.Invoke() ?? (maxFrameBytes, "socket.request.max.bytes");
            if (length < 0 || length > limit)
            {
                throw new MalformedRequestException(length < 0
                    ? $"Negative frame size {length}."
                    : $"Frame of {length} bytes is larger than the limit of {limit} ({setting}).");
            }

            _frameLength = length;
        }

        size = _frameLength;
        return true;
    }

    /// <summary>
    /// Consumes bytes from <paramref name="input"/> (advancing it) until a frame is complete; the caller owns the frame
    /// and releases it with <see cref="PooledBuffer.Release"/>. Returns false when the input ran out first.
    /// </summary>
    public bool TryAssemble(ref ReadOnlySequence<byte> input, out ReadOnlyMemory<byte> frame)
    {
        frame = default;
        if (!TryReadSize(ref input, out var size))
        {
            return false;
        }

        if (_frame is null)
        {
            _frame = PooledBuffer.Rent(size);
            _frameFilled = 0;
        }

        var copy = (int)Math.Min(_frameLength - _frameFilled, input.Length);
        input.Slice(0, copy).CopyTo(_frame.WritableSpan[_frameFilled..]);
        input = input.Slice(copy);
        _frameFilled += copy;
        if (_frameFilled < _frameLength)
        {
            return false;
        }

        frame = _frame.Memory;
        _frame = null;
        _sizeFilled = 0;
        return true;
    }

    public void Dispose()
    {
        if (_frame is { } partial)
        {
            PooledBuffer.Release(partial.Memory);
            _frame = null;
        }
    }
}
