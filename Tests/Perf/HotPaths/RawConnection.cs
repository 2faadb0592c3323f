using System.Buffers.Binary;
using System.Net.Sockets;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// One Kafka connection for load: requests written as pre-built bytes, responses read whole as frames and handed back
/// as bytes, up to a window of requests in flight (as a client pipelines them), so that the client costs little next
/// to the broker it measures.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _window;
    private byte[] _frame = new byte[1 << 20];

    private RawConnection(TcpClient tcp, int inFlight)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _window = new SemaphoreSlim(inFlight, inFlight);
    }

    public static async Task<RawConnection> OpenAsync(int port, int inFlight)
    {
        var tcp = new TcpClient { NoDelay = true, ReceiveBufferSize = 1 << 20, SendBufferSize = 1 << 20 };
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawConnection(tcp, inFlight);
    }

    /// <summary>Sends <paramref name="request"/> once a place in the window is free.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        await _window.WaitAsync(cancellationToken);
        await _stream.WriteAsync(request, cancellationToken);
    }

    /// <summary>Reads the next response frame (its header and body, without the size), freeing a place in the window.</summary>
    public async Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken)
    {
        var size = new byte[4];
        await _stream.ReadExactlyAsync(size, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(size);
        if (length > _frame.Length)
        {
            _frame = new byte[length];
        }

        await _stream.ReadExactlyAsync(_frame.AsMemory(0, length), cancellationToken);
        _window.Release();
        return _frame.AsMemory(0, length);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        _window.Dispose();
        return ValueTask.CompletedTask;
    }
}
