using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Silo;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Benchmarks.Gateway;

/// <summary>
/// The whole platform in this process (the silo, its grains and logs, the Kafka gateway), with connections that reach
/// the gateway's connection handler through in-memory pipes instead of sockets: what a request costs from its bytes
/// to its response's bytes, without TCP, as Garnet's embedded benchmarks measure their server.
/// </summary>
internal sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly WebApplication _host;
    private readonly string _dataDirectory;

    private EmbeddedBroker(WebApplication host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    public static async Task<EmbeddedBroker> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tributary-bench", "broker-" + Guid.NewGuid().ToString("N"));
        string Port() => TestPorts.Next().ToString(CultureInfo.InvariantCulture);
        var host = TributaryHost.Build(
        [
            "--data-dir", dataDirectory,
            "--kafka-port", Port(),
            "--registry-port", Port(),
            "--rest-port", Port(),
            "--connect-port", Port(),
            "--health-port", Port(),
            "--silo-port", Port(),
            "--gateway-port", Port(),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await host.StartAsync();
        return new EmbeddedBroker(host, dataDirectory);
    }

    /// <summary>A new client connection on the silo's first plaintext listener.</summary>
    public EmbeddedConnection Connect()
    {
        var handler = _host.Services.GetRequiredService<KafkaConnectionHandler>();
        var listener = KafkaListeners.From(_host.Services.GetRequiredService<IOptions<KafkaListenerOptions>>().Value)
            .First(l => l.Protocol == SecurityProtocol.Plaintext);
        return new EmbeddedConnection(handler, listener, _host.Services.GetRequiredService<IMemoryPoolFactory<byte>>().Create());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>
/// One client connection through pipes: requests are written into the handler's input, responses read from its
/// output. One request at a time: <see cref="SendAsync"/> then <see cref="ReceiveAsync"/>. Both pipes take their
/// memory from the pool the silo gives its socket transport, as a socket connection's do.
/// </summary>
internal sealed class EmbeddedConnection : IAsyncDisposable
{
    private readonly MemoryPool<byte> _pool;
    private readonly Pipe _requests;
    private readonly Pipe _responses;
    private readonly DefaultConnectionContext _context;
    private readonly Task _handling;

    public EmbeddedConnection(KafkaConnectionHandler handler, KafkaListener listener, MemoryPool<byte> pool)
    {
        _pool = pool;
        var options = new PipeOptions(pool, minimumSegmentSize: pool.MaxBufferSize, useSynchronizationContext: false);
        _requests = new Pipe(options);
        _responses = new Pipe(options);
        _context = new DefaultConnectionContext(
            Guid.NewGuid().ToString("N"),
            new DuplexPipe(_requests.Reader, _responses.Writer),
            new DuplexPipe(_responses.Reader, _requests.Writer))
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40_000),
        };
        _context.Features.Set(new KafkaListenerFeature(listener));
        _handling = handler.TryAdmit(_context) ? handler.OnConnectedAsync(_context) : Task.CompletedTask;
    }

    public ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> frame) => _requests.Writer.WriteAsync(frame);

    /// <summary>Reads the next response and passes its body (after the size) to <paramref name="read"/>, if any; returns its size.</summary>
    public async ValueTask<int> ReceiveAsync(Action<ReadOnlySequence<byte>>? read = null)
    {
        var input = _responses.Reader;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            var header = new SequenceReader<byte>(buffer);
            if (header.TryReadBigEndian(out int size) && buffer.Length >= 4 + size)
            {
                read?.Invoke(buffer.Slice(4, size));
                input.AdvanceTo(buffer.GetPosition(4 + size));
                return size;
            }

            if (result.IsCompleted)
            {
                throw new InvalidOperationException("The broker closed the connection.");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _requests.Writer.CompleteAsync();
        _context.Abort();
        await _handling;
        await _responses.Reader.CompleteAsync();
        _pool.Dispose();
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
