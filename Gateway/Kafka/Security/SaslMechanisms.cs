using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The SASL mechanisms this broker serves, and a server-side exchange of an enabled one for each connection: PLAIN with
/// the users of the configuration, SCRAM with the credentials of the control plane (AlterUserScramCredentials),
/// OAUTHBEARER with JWTs signed by the keys of a JWKS endpoint.
/// </summary>
public sealed partial class SaslMechanisms(IOptions<KafkaSaslOptions> options, IGrainFactory grains, JwksKeys jwks, TimeProvider time, ILogger<SaslMechanisms>? logger = null)
{
    public const string Plain = "PLAIN";

    /// <summary>Mechanisms served; another named in <see cref="KafkaSaslOptions.EnabledMechanisms"/> is refused at start.</summary>
    public static readonly IReadOnlyList<string> Served = [Plain, ScramMechanism.Sha256.Name, ScramMechanism.Sha512.Name, OAuthBearerExchange.Mechanism];

    private readonly Func<PlainCredentials> _plain = PlainUsers(options.Value, time, logger);

    // What an unknown SCRAM user's made-up salt is derived with: a salt that is stable for a name, and unlike a real one.
    private readonly byte[] _unknownUserKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The enabled mechanisms, in the order configured.</summary>
    public IReadOnlyList<string> Enabled { get; } = options.Value.Mechanisms();

    /// <summary>A new exchange of <paramref name="mechanism"/>, or null when it is not enabled.</summary>
    public ISaslExchange? Start(string mechanism) =>
        !Enabled.Contains(mechanism, StringComparer.Ordinal) ? null
        : mechanism == Plain ? new PlainExchange(_plain())
        : mechanism == OAuthBearerExchange.Mechanism ? new OAuthBearerExchange(new JwtValidator(options.Value.OAuthBearer, jwks, time))
        : ScramMechanism.ByName(mechanism) is { } scram ? new ScramExchange(scram, user => FindAsync(user, scram), _unknownUserKey)
        : null;

    /// <summary>Whether PLAIN is enabled and <paramref name="password"/> is its user's.</summary>
    public bool VerifyPlain(string user, ReadOnlySpan<byte> password) =>
        Enabled.Contains(Plain, StringComparer.Ordinal) && _plain().Verify(user, password);

    /// <summary>PLAIN's users: the configuration's, or the users file's as it is now.</summary>
    private static Func<PlainCredentials> PlainUsers(KafkaSaslOptions options, TimeProvider time, ILogger? logger)
    {
        if (options.PlainUsersFile is not { } file)
        {
            var fixedUsers = new PlainCredentials(options.PlainUsers);
            return () => fixedUsers;
        }

        var store = new Tls.ReloadingStore<PlainCredentials>(
            () => new PlainCredentials(JaasPlainUsers.Read(File.ReadAllText(file))), file, time,
            e => LogUsersFileUnreadable(logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, file, e.Message));
        return () => store.Current;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The changed PLAIN users file {File} cannot be read; the last users stay: {Reason}")]
    private static partial void LogUsersFileUnreadable(ILogger logger, string file, string reason);

    private async ValueTask<ScramCredential?> FindAsync(string user, ScramMechanism mechanism) =>
        await grains.GetGrain<IScramCredentialsGrain>(0).FindAsync(user, mechanism.Id);

    /// <summary>
    /// Why the settings cannot be served, or null: a SASL listener needs mechanisms, each one served; SASL settings
    /// without a SASL listener, or PLAIN users without PLAIN, would be accepted and never used.
    /// </summary>
    public static string? Invalid(KafkaSaslOptions options, bool saslListener, bool configured, bool oauthBearerConfigured = false)
    {
        if (!saslListener)
        {
            return configured ? $"{KafkaSaslOptions.Section} is set, but no listener is SASL_PLAINTEXT or SASL_SSL (Tributary:Kafka:Listeners)." : null;
        }

        var mechanisms = options.Mechanisms();
        if (mechanisms.Count == 0)
        {
            return $"{KafkaSaslOptions.Section}:EnabledMechanisms names no mechanism.";
        }

        if (mechanisms.FirstOrDefault(m => !Served.Contains(m)) is { } unserved)
        {
            return $"{KafkaSaslOptions.Section}:EnabledMechanisms names {unserved}, which this broker does not serve; served: {string.Join(", ", Served)}.";
        }

        if ((options.PlainUsers.Count > 0 || options.PlainUsersFile is not null) && !mechanisms.Contains(Plain))
        {
            return $"{KafkaSaslOptions.Section}:PlainUsers are set, but EnabledMechanisms does not name PLAIN.";
        }

        if (options.PlainUsersFile is { } file)
        {
            if (options.PlainUsers.Count > 0)
            {
                return $"{KafkaSaslOptions.Section}: PlainUsers and PlainUsersFile both name users; give them in one place.";
            }

            try
            {
                JaasPlainUsers.Read(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                return $"{KafkaSaslOptions.Section}:PlainUsersFile {file} cannot be read: {e.Message}";
            }
        }

        if (InvalidOAuthBearer(options, mechanisms.Contains(OAuthBearerExchange.Mechanism), oauthBearerConfigured) is { } oauth)
        {
            return oauth;
        }

        if (options.ConnectionsMaxReauthMs < 0)
        {
            return $"{KafkaSaslOptions.Section}:ConnectionsMaxReauthMs must not be negative.";
        }

        return options.ServerMaxReceiveSize <= 0 ? $"{KafkaSaslOptions.Section}:ServerMaxReceiveSize must be positive." : null;
    }

    private static string? InvalidOAuthBearer(KafkaSaslOptions options, bool enabled, bool configured)
    {
        const string section = KafkaSaslOptions.Section + ":OAuthBearer";
        var settings = options.OAuthBearer;
        if (!enabled)
        {
            return configured ? $"{section} is set, but EnabledMechanisms does not name OAUTHBEARER." : null;
        }

        // Kafka's default validator accepts unsigned tokens, fit for development alone; here tokens are always checked,
        // against keys read where no one on the network can swap them: https, a file, or plain http on this machine.
        if (!Uri.TryCreate(settings.JwksEndpointUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme is "https" or "file" || (uri.Scheme == "http" && uri.IsLoopback)))
        {
            return $"{section}:JwksEndpointUrl must name the JWKS endpoint whose keys sign the tokens: https://, a file: URL, or http:// on a loopback address.";
        }

        if (settings.JwksEndpointRefreshMs is < 1000 or > int.MaxValue || settings.ClockSkewSeconds is < 0 or > 3600 || string.IsNullOrWhiteSpace(settings.SubClaimName))
        {
            return $"{section}: JwksEndpointRefreshMs must be from 1000 to {int.MaxValue}, ClockSkewSeconds from 0 to 3600, and SubClaimName named.";
        }

        return null;
    }
}
