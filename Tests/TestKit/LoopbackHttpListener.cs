using System.Net;

namespace Tributary.Tests.TestKit;

/// <summary>
/// An HTTP listener on a free loopback port that hands each request to a handler, one at a time, until disposed: the
/// far end of an exporter in a test or a measurement (an OTLP collector, for one). A port another process took
/// between choosing and binding it is given up for a new one. The handler sets the status; the response is closed
/// after it.
/// </summary>
public sealed class LoopbackHttpListener : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _serving;

    private LoopbackHttpListener(HttpListener listener, int port, Func<HttpListenerContext, Task> handle)
    {
        _listener = listener;
        _handle = handle;
        Port = port;
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The listener's base address, without a trailing slash.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static LoopbackHttpListener Start(Func<HttpListenerContext, Task> handle)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = TestPorts.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackHttpListener(listener, port, handle);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await _handle(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
