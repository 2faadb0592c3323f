using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// A TCP relay between clients and the broker that can cut every connection at once, as a network failure does:
/// requests in flight are lost one way or the other, and the clients reconnect and retry.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _cuts;

    public CuttingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many times connections were cut while at least one was open.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Closes every relayed connection abruptly (RST), both towards the client and towards the broker.</summary>
    public void CutAll()
    {
        var any = false;
        foreach (var socket in _sockets.Keys)
        {
            any = true;
            _sockets.TryRemove(socket, out _);
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (ObjectDisposedException)
            {
                // Closed by its relay meanwhile.
            }

            socket.Dispose();
        }

        if (any)
        {
            Interlocked.Increment(ref _cuts);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            try
            {
                await broker.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                broker.Dispose();
                continue;
            }

            _sockets[client] = 0;
            _sockets[broker] = 0;
            _ = RelayAsync(client, broker);
            _ = RelayAsync(broker, client);
        }
    }

    private async Task RelayAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Cut, or the other side went away.
        }
        finally
        {
            _sockets.TryRemove(from, out _);
            _sockets.TryRemove(to, out _);
            from.Dispose();
            to.Dispose();
        }
    }
}
