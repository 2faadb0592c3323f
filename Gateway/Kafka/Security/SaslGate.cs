using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// One connection's authentication on a SASL listener, after Kafka's SaslServerAuthenticator: ApiVersions may come
/// first, then SaslHandshake names a mechanism, then SaslAuthenticate requests carry its tokens (or, after a v0
/// handshake, raw length-prefixed tokens, as before KIP-152) until the exchange completes. Any other request before
/// that closes the connection, as does a refused mechanism or a failed exchange once its answer is sent.
/// <para>With <c>connections.max.reauth.ms</c> (KIP-368) an authentication lasts that long at most, and an OAUTHBEARER
/// one no longer than its token in any case, as SaslAuthenticate v1+ tells the client; before then the client
/// authenticates again on the same connection (SaslHandshake v1 with the same mechanism, then SaslAuthenticate, for the
/// same principal, nothing else in between), and a connection that lets it lapse is closed at its next request.</para>
/// Not thread-safe: one per connection, used by its request loop.
/// </summary>
public sealed class SaslGate(SaslMechanisms mechanisms, TimeProvider time, long maxReauthMs)
{
    private ISaslExchange? _exchange;
    private bool _rawTokens;
    private bool _handshaken;
    private bool _reauthenticating;
    private long? _sessionStart;
    private TimeSpan _sessionLifetime;
    private long? _lastReauthentication;
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

    /// <summary>Whether the authenticated session lapsed (KIP-368): any request but re-authentication closes the connection.</summary>
    public bool IsExpired => _sessionStart is { } start && time.GetElapsedTime(start) >= _sessionLifetime;

    /// <summary>Whether a re-authentication began and has not completed: nothing but its SaslAuthenticate may come.</summary>
    public bool IsReauthenticating => _reauthenticating;

    /// <summary>Whether a request of this API may come now, before authentication; any other closes the connection.</summary>
    public bool Allows(ApiKey key) => key switch
    {
        ApiKey.ApiVersions or ApiKey.SaslHandshake => !_handshaken,
        ApiKey.SaslAuthenticate => _handshaken && !_rawTokens,
        _ => false,
    };

    /// <summary>
    /// Whether this gate answers <paramref name="key"/> on an authenticated connection: SaslHandshake and SaslAuthenticate
    /// of a re-authentication, when the session expires; a new one at most once a second, as Kafka allows. Otherwise the
    /// API handlers answer them (ILLEGAL_SASL_STATE).
    /// </summary>
    public bool Reauthenticates(ApiKey key) => _sessionStart is not null && IsAuthenticated && key switch
    {
        ApiKey.SaslHandshake => !_reauthenticating && (_lastReauthentication is not { } last || time.GetElapsedTime(last) >= TimeSpan.FromSeconds(1)),
        ApiKey.SaslAuthenticate => _reauthenticating,
        _ => false,
    };

    /// <summary>The answer to a SaslHandshake; <paramref name="close"/> when the mechanism is refused.</summary>
    public SaslHandshakeResponse Handshake(SaslHandshakeRequest request, short version, out bool close)
    {
        if (IsAuthenticated)
        {
            // KIP-368: a re-authentication keeps its mechanism, and needs SaslAuthenticate (a v1 handshake).
            var same = request.Mechanism == Mechanism && version >= 1;
            _exchange = same ? mechanisms.Start(request.Mechanism) : null;
            _reauthenticating = _exchange is not null;
            _lastReauthentication = time.GetTimestamp();
            Failure = _exchange is null ? $"re-authentication with {request.Mechanism} (handshake v{version}) after {Mechanism}" : null;
        }
        else
        {
            _exchange = mechanisms.Start(request.Mechanism);
            if (_exchange is not null)
            {
                _handshaken = true;
                _rawTokens = version == 0;
                Mechanism = request.Mechanism;
            }
        }

        close = _exchange is null;
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
            : new SaslAuthenticateResponse { ErrorMessage = null, AuthBytes = step.ServerToken, SessionLifetimeMs = step.IsComplete ? SessionLifetimeMs(step) : 0 },
            step.IsFailed);
    }

    /// <summary>A raw token after a v0 handshake: the raw token back, and whether the exchange failed.</summary>
    public async ValueTask<(byte[] Token, bool Close)> AuthenticateRawAsync(ReadOnlyMemory<byte> token)
    {
        var step = await EvaluateAsync(token);
        if (step.IsComplete)
        {
            SessionLifetimeMs(step);
        }

        return (step.ServerToken, step.IsFailed);
    }

    private async ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> token)
    {
        SaslStep step;
        try
        {
            step = await _exchange!.EvaluateAsync(token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Kafka's answer when its SASL server fails: the client learns nothing more, the log does.
            step = SaslStep.Failed("Authentication could not be performed due to an internal error on the server") with { Reason = e.Message };
        }

        if (step.IsComplete && _reauthenticating && step.Principal != Principal)
        {
            step = SaslStep.Failed($"Cannot change principals during re-authentication from {Principal}: {step.Principal}");
        }

        if (step.IsComplete && step.CredentialExpires is { } expires && expires <= time.GetUtcNow())
        {
            // Within the clock skew, but a session of no length would only send the client round again with it.
            step = SaslStep.Failed("""{"status":"invalid_token"}""") with { Reason = "the token has expired" };
        }

        if (step.IsComplete)
        {
            Principal = step.Principal;
            _reauthenticating = false;
        }

        Failure = step.Failure is null ? null : step.Reason is null ? step.Failure : $"{step.Failure} ({step.Reason})";
        return step;
    }

    /// <summary>
    /// Starts the session a completed exchange opened: until its credential expires (an OAUTHBEARER token), and no
    /// longer than <c>connections.max.reauth.ms</c> when that is set, as Kafka bounds it; 0 (no limit) when neither.
    /// </summary>
    private long SessionLifetimeMs(SaslStep step)
    {
        long? lifetime = maxReauthMs > 0 ? maxReauthMs : null;
        if (step.CredentialExpires is { } expires)
        {
            var remaining = Math.Max(0, (long)(expires - time.GetUtcNow()).TotalMilliseconds);
            lifetime = lifetime is { } max ? Math.Min(max, remaining) : remaining;
        }

        if (lifetime is not { } ms)
        {
            return 0;
        }

        _sessionStart = time.GetTimestamp();
        _sessionLifetime = TimeSpan.FromMilliseconds(Math.Min(ms, MaxSessionMs));
        return ms;
    }

    /// <summary>A century: any longer session is as good as unbounded, and stays within TimeSpan's range.</summary>
    private const long MaxSessionMs = 100L * 365 * 24 * 3600 * 1000;
}
