using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// One connection to a broker over Kafka's protocol, as the group member needs it: requests written whole, one at a
/// time, with request header v1 (the API's key and version, a correlation id, the client id); responses (header v0)
/// matched to their requests by correlation id, so that a heartbeat may go while a long JoinGroup waits. TLS and
/// SASL (PLAIN, SCRAM, OAUTHBEARER) per <see cref="ClientSecurity"/>. Once the connection breaks, every request waiting and every
/// later one fails with <see cref="IOException"/>, and the owner opens another.
/// </summary>
internal sealed class BrokerConnection : IAsyncDisposable
{
    /// <summary>librdkafka's <c>receive.message.max.bytes</c> default: a larger response is taken as a broken stream.</summary>
    private const int MaxResponseBytes = 100_000_000;

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly string _clientId;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<ReadOnlyMemory<byte>>> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private volatile Exception? _failure;
    private int _correlationId;

    private BrokerConnection(TcpClient tcp, Stream stream, string clientId, string endpoint)
    {
        _tcp = tcp;
        _stream = stream;
        _clientId = clientId;
        Endpoint = endpoint;
        _ = ReadLoopAsync();
    }

    public string Endpoint { get; }

    public bool IsBroken => _failure is not null;

    public static async Task<BrokerConnection> ConnectAsync(string host, int port, ClientSecurity security, string clientId, CancellationToken cancellation)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellation);
            Stream stream = tcp.GetStream();
            if (security.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => Trusted(security, certificate, errors));
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = host,
                        ClientCertificates = security.ClientCertificate is { } own ? [own] : null,
                    },
                    cancellation);
                stream = tls;
            }

            var connection = new BrokerConnection(tcp, stream, clientId, $"{host}:{port}");
            if (security.SaslMechanism is not null)
            {
                try
                {
                    await SaslAuthentication.AuthenticateAsync(connection, security, cancellation);
                }
                catch
                {
                    await connection.DisposeAsync();
                    throw;
                }
            }

            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            tcp.Dispose();
            throw new IOException($"Could not connect to broker {host}:{port}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether the broker's certificate is trusted: by the system, or chained to one of the configured authorities;
    /// its name checked unless <c>ssl.endpoint.identification.algorithm</c> is <c>none</c>; nothing checked with
    /// <c>enable.ssl.certificate.verification=false</c>.
    /// </summary>
    private static bool Trusted(ClientSecurity security, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!security.VerifyCertificate)
        {
            return true;
        }

        if (!security.VerifyHostName)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (security.TrustedAuthorities is not { } authorities || certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    /// <summary>Sends a request and returns its response's body (after the correlation id).</summary>
    public async Task<ProtocolReader> SendAsync(short apiKey, short version, Action<ProtocolWriter> body, CancellationToken cancellation)
    {
        ThrowIfBroken();
        var correlationId = Interlocked.Increment(ref _correlationId);
        var request = new ProtocolWriter().Int32(0).Int16(apiKey).Int16(version).Int32(correlationId).String(_clientId);
        body(request);
        var frame = request.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);

        var response = new TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = response;
        try
        {
            await _writeLock.WaitAsync(cancellation);
            try
            {
                ThrowIfBroken();
                await _stream.WriteAsync(frame, cancellation);
                await _stream.FlushAsync(cancellation);
            }
            finally
            {
                _writeLock.Release();
            }

            return new ProtocolReader(await response.Task.WaitAsync(cancellation));
        }
        catch (IOException e)
        {
            Fail(e);
            throw;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Fail(e);
            throw new IOException($"The connection to broker {Endpoint} broke: {e.Message}", e);
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    private void ThrowIfBroken()
    {
        if (_failure is { } failure)
        {
            throw new IOException($"The connection to broker {Endpoint} is broken: {failure.Message}", failure);
        }
    }

    private async Task ReadLoopAsync()
    {
        var size = new byte[4];
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                await _stream.ReadExactlyAsync(size, _closed.Token);
                var length = BinaryPrimitives.ReadInt32BigEndian(size);
                if (length is < 4 or > MaxResponseBytes)
                {
                    throw new InvalidDataException($"A response of {length} bytes");
                }

                var frame = new byte[length];
                await _stream.ReadExactlyAsync(frame, _closed.Token);
                var correlationId = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (_pending.TryGetValue(correlationId, out var waiting))
                {
                    waiting.TrySetResult(frame.AsMemory(4));
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        _failure ??= e;
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new IOException($"The connection to broker {Endpoint} broke: {e.Message}", e));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(BrokerConnection)));
        await _closed.CancelAsync();
        await _stream.DisposeAsync();
        _tcp.Dispose();
        _closed.Dispose();
    }
}
