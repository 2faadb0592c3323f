using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// One connection's authentication on a SASL listener, after Kafka's SaslServerAuthenticator: ApiVersions may come
/// first, then SaslHandshake names a mechanism, then SaslAuthenticate requests carry its tokens (or, after a v0
/// handshake, raw length-prefixed tokens, as before KIP-152) until the exchange completes. Any other request before
/// that closes the connection, as does a refused mechanism or a failed exchange once its answer is sent.
/// Not thread-safe: one per connection, used by its request loop.
/// </summary>
public sealed class SaslGate(SaslMechanisms mechanisms)
{
    private ISaslExchange? _exchange;
    private bool _rawTokens;
    private bool _handshaken;
    private volatile string? _principal;

    /// <summary>
    /// The authenticated principal (<c>User:name</c>), or null while the connection is not authenticated. Volatile: the
    /// connection's reader reads it for the frame limit while its request loop sets it.
    /// </summary>
    public string? Principal
    {
        get => _principal;
        private set => _principal = value;
    }

    /// <summary>The mechanism the client chose, once it did.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>Why the last exchange failed, for the broker's log (the client gets Kafka's message alone).</summary>
    public string? Failure { get; private set; }

    public bool IsAuthenticated => Principal is not null;

    /// <summary>After a SaslHandshake v0, the next frame is a raw SASL token, not a Kafka request.</summary>
    public bool AwaitsRawToken => _rawTokens && !IsAuthenticated;

    /// <summary>Whether a request of this API may come now, before authentication; any other closes the connection.</summary>
    public bool Allows(ApiKey key) => key switch
    {
        ApiKey.ApiVersions or ApiKey.SaslHandshake => !_handshaken,
        ApiKey.SaslAuthenticate => _handshaken && !_rawTokens,
        _ => false,
    };

    /// <summary>The answer to a SaslHandshake; <paramref name="close"/> when the mechanism is refused.</summary>
    public SaslHandshakeResponse Handshake(SaslHandshakeRequest request, short version, out bool close)
    {
        _exchange = mechanisms.Start(request.Mechanism);
        close = _exchange is null;
        if (_exchange is not null)
        {
            _handshaken = true;
            _rawTokens = version == 0;
            Mechanism = request.Mechanism;
        }

        return new SaslHandshakeResponse
        {
            ErrorCode = (short)(close ? ErrorCode.UnsupportedSaslMechanism : ErrorCode.None),
            Mechanisms = [.. mechanisms.Enabled],
        };
    }

    /// <summary>The answer to a SaslAuthenticate, and whether the exchange failed (the connection closes).</summary>
    public async ValueTask<(SaslAuthenticateResponse Response, bool Close)> AuthenticateAsync(SaslAuthenticateRequest request)
    {
        var step = await EvaluateAsync(request.AuthBytes);
        return (step.IsFailed
            ? new SaslAuthenticateResponse { ErrorCode = (short)ErrorCode.SaslAuthenticationFailed, ErrorMessage = step.Failure }
            : new SaslAuthenticateResponse { ErrorMessage = null, AuthBytes = step.ServerToken }, step.IsFailed);
    }

    /// <summary>A raw token after a v0 handshake: the raw token back, and whether the exchange failed.</summary>
    public async ValueTask<(byte[] Token, bool Close)> AuthenticateRawAsync(ReadOnlyMemory<byte> token)
    {
        var step = await EvaluateAsync(token);
        return (step.ServerToken, step.IsFailed);
    }

    private async ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> token)
    {
        var step = await _exchange!.EvaluateAsync(token);
        if (step.IsComplete)
        {
            Principal = step.Principal;
        }

        Failure = step.Failure;
        return step;
    }
}
