using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The signing keys of the JWKS endpoint (<see cref="OAuthBearerOptions.JwksEndpointUrl"/>), as Kafka's refreshing key
/// resolver keeps them: read on first use; read again in the background every
/// <see cref="OAuthBearerOptions.JwksEndpointRefreshMs"/> while the last keys go on serving; read again at once (and
/// waited for) when a token names a key they lack, at most once per <see cref="UnknownKeyRefresh"/>, so that made-up
/// key ids cannot make the broker hammer the endpoint. A read that fails keeps the last keys and is retried with
/// Kafka's backoff (100 ms doubling to 10 s). Only asymmetric keys are kept. One read at a time; no wait is longer than
/// <see cref="ReadTimeout"/>. Thread-safe.
/// </summary>
public sealed partial class JwksKeys(IOptions<KafkaSaslOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<JwksKeys> logger)
{
    public static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The largest key set read, from the endpoint or a file.</summary>
    public const int MaxResponseBytes = 1 << 20;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private Snapshot _snapshot = new([], null, null, TimeSpan.Zero);
    private Task? _reading;

    /// <summary>The keys to check a token with, after a read when one is due for <paramref name="keyId"/>.</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> GetAsync(string? keyId)
    {
        Task? wait = null;
        Snapshot now;
        lock (_lock)
        {
            now = _snapshot;
            var retryable = now.RetryAt is not { } retry || time.GetTimestamp() >= retry;
            var never = now.ReadAt is null;
            var unknown = keyId is not null && now.Keys.All(k => k.KeyId != keyId)
                && (never || time.GetElapsedTime(now.ReadAt!.Value) >= UnknownKeyRefresh);
            var periodic = !never && time.GetElapsedTime(now.ReadAt!.Value) >= TimeSpan.FromMilliseconds(options.Value.OAuthBearer.JwksEndpointRefreshMs);
            if ((never || unknown || periodic || now.Keys.Count == 0) && retryable)
            {
                // On the pool: a read that ended at once would otherwise finish inside this lock.
                _reading ??= Task.Run(ReadAsync);
                if (never || unknown || now.Keys.Count == 0)
                {
                    wait = _reading;
                }
            }
            else if ((never || now.Keys.Count == 0) && _reading is not null)
            {
                wait = _reading;
            }
        }

        if (wait is not null)
        {
            try
            {
                await wait.WaitAsync(ReadTimeout);
            }
            catch (TimeoutException)
            {
                // The read goes on for the next token; this one is checked with the keys there are.
            }
        }

        lock (_lock)
        {
            return _snapshot.Keys;
        }
    }

    private async Task ReadAsync()
    {
        var url = options.Value.OAuthBearer.JwksEndpointUrl!;
        IReadOnlyList<SecurityKey>? keys = null;
        string? failure = null;
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            var uri = new Uri(url);
            var json = uri.IsFile
                ? new FileInfo(uri.LocalPath).Length > MaxResponseBytes
                    ? throw new InvalidDataException($"the key set is larger than {MaxResponseBytes} bytes")
                    : await File.ReadAllTextAsync(uri.LocalPath, timeout.Token)
                : await http.CreateClient(nameof(JwksKeys)).GetStringAsync(uri, timeout.Token);
            var set = new JsonWebKeySet(json) { SkipUnresolvedJsonWebKeys = true };
            keys = [.. set.GetSigningKeys().Where(IsAsymmetric)];
            if (keys.Count == 0)
            {
                failure = "it publishes no RSA or EC signing key";
            }
        }
        catch (Exception e)
        {
            failure = e.Message;
        }

        lock (_lock)
        {
            var last = _snapshot;
            if (failure is null)
            {
                _snapshot = new Snapshot(keys!, time.GetTimestamp(), null, TimeSpan.Zero);
            }
            else
            {
                var backoff = last.Backoff == TimeSpan.Zero ? FirstRetry : TimeSpan.FromTicks(Math.Min(last.Backoff.Ticks * 2, LastRetry.Ticks));
                _snapshot = last with { RetryAt = time.GetTimestamp() + (long)(backoff.TotalSeconds * time.TimestampFrequency), Backoff = backoff };
            }

            _reading = null;
        }

        if (failure is not null)
        {
            LogUnreadable(logger, url, failure);
        }
    }

    private static bool IsAsymmetric(SecurityKey key) => key switch
    {
        RsaSecurityKey or ECDsaSecurityKey or X509SecurityKey => true,
        JsonWebKey jwk => jwk.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve,
        _ => false,
    };

    /// <param name="Keys">The keys of the last good read.</param>
    /// <param name="ReadAt">When that read was; null before the first.</param>
    /// <param name="RetryAt">After a failed read, when the next may be tried.</param>
    /// <param name="Backoff">The wait before the next try after a failure.</param>
    private sealed record Snapshot(IReadOnlyList<SecurityKey> Keys, long? ReadAt, long? RetryAt, TimeSpan Backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The JWKS endpoint {Url} cannot be read, or gives no usable key; the last keys stay in use: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string? url, string reason);
}
