using System.Net;
using System.Net.Sockets;

namespace Tributary.Tests.Perf.Registry;

/// <summary>
/// An HttpClient over at most <c>connections</c> keep-alive HTTP/1.1 connections that counts the TCP connections it
/// opens, so that a run can show it really held N connections rather than trusting the pool's limit.
/// </summary>
internal sealed class HttpConnections : IDisposable
{
    private int _opened;

    public HttpConnections(string baseUrl, int connections)
    {
        Client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,

            // Neither lifetime may end a connection mid-run: a reconnect would be counted as load the server never chose.
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            ConnectCallback = ConnectAsync,
        })
        {
            BaseAddress = new Uri(baseUrl),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public HttpClient Client { get; }

    /// <summary>TCP connections opened so far.</summary>
    public int Opened => Volatile.Read(ref _opened);

    public void Dispose() => Client.Dispose();

    /// <summary>What SocketsHttpHandler does by default (a dual-mode socket, Nagle off), plus the count.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            Interlocked.Increment(ref _opened);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
