using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The signing keys of the JWKS endpoint (<see cref="OAuthBearerOptions.JwksEndpointUrl"/>), read on first use, again
/// every <see cref="OAuthBearerOptions.JwksEndpointRefreshMs"/>, and early when a token names a key they lack (a key
/// rotated in at the issuer), at most once per <see cref="UnknownKeyRefresh"/> so that made-up key ids cannot make the
/// broker hammer the endpoint. When the endpoint cannot be read the last keys stay in use. Thread-safe.
/// </summary>
public sealed partial class JwksKeys(IOptions<KafkaSaslOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<JwksKeys> logger)
{
    public static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>The keys, read again first when they are due, or when <paramref name="keyId"/> is not among them.</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> GetAsync(string? keyId, CancellationToken cancellation)
    {
        var settings = options.Value.OAuthBearer;
        if (_snapshot is { } known && !IsDue(known, keyId, settings))
        {
            return known.Keys;
        }

        await _reading.WaitAsync(cancellation);
        try
        {
            if (_snapshot is { } read && !IsDue(read, keyId, settings))
            {
                return read.Keys;
            }

            IReadOnlyList<SecurityKey> keys;
            try
            {
                keys = [.. (await ReadAsync(settings.JwksEndpointUrl!, cancellation)).GetSigningKeys()];
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ArgumentException or System.Text.Json.JsonException
                or TaskCanceledException && !cancellation.IsCancellationRequested)
            {
                LogUnreadable(logger, settings.JwksEndpointUrl, e.Message);
                keys = _snapshot?.Keys ?? [];
            }

            _snapshot = new Snapshot(keys, time.GetTimestamp());
            return keys;
        }
        finally
        {
            _reading.Release();
        }
    }

    private bool IsDue(Snapshot snapshot, string? keyId, OAuthBearerOptions settings)
    {
        var age = time.GetElapsedTime(snapshot.ReadAt);
        return age >= TimeSpan.FromMilliseconds(settings.JwksEndpointRefreshMs)
            || (keyId is not null && snapshot.Keys.All(k => k.KeyId != keyId) && age >= UnknownKeyRefresh);
    }

    private sealed record Snapshot(IReadOnlyList<SecurityKey> Keys, long ReadAt);

    private async Task<JsonWebKeySet> ReadAsync(string url, CancellationToken cancellation)
    {
        var uri = new Uri(url);
        var json = uri.IsFile
            ? await File.ReadAllTextAsync(uri.LocalPath, cancellation)
            : await http.CreateClient(nameof(JwksKeys)).GetStringAsync(uri, cancellation);
        return new JsonWebKeySet(json);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The JWKS endpoint {Url} cannot be read; the last keys stay in use: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string? url, string reason);
}
