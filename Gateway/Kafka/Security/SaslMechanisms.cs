using Microsoft.Extensions.Options;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>The SASL mechanisms this broker serves, and a server-side exchange of an enabled one for each connection.</summary>
public sealed class SaslMechanisms(IOptions<KafkaSaslOptions> options)
{
    public const string Plain = "PLAIN";

    /// <summary>Mechanisms served; another named in <see cref="KafkaSaslOptions.EnabledMechanisms"/> is refused at start.</summary>
    public static readonly IReadOnlyList<string> Served = [Plain];

    private readonly PlainCredentials _plain = new(options.Value.PlainUsers);

    /// <summary>The enabled mechanisms, in the order configured.</summary>
    public IReadOnlyList<string> Enabled { get; } = options.Value.Mechanisms();

    /// <summary>A new exchange of <paramref name="mechanism"/>, or null when it is not enabled.</summary>
    public ISaslExchange? Start(string mechanism) =>
        !Enabled.Contains(mechanism, StringComparer.Ordinal) ? null
        : mechanism == Plain ? new PlainExchange(_plain)
        : null;

    /// <summary>Why the settings cannot be served, or null: a SASL listener needs mechanisms, each one served.</summary>
    public static string? Invalid(KafkaSaslOptions options)
    {
        var mechanisms = options.Mechanisms();
        if (mechanisms.Count == 0)
        {
            return $"{KafkaSaslOptions.Section}:EnabledMechanisms names no mechanism.";
        }

        if (mechanisms.FirstOrDefault(m => !Served.Contains(m)) is { } unserved)
        {
            return $"{KafkaSaslOptions.Section}:EnabledMechanisms names {unserved}, which this broker does not serve; served: {string.Join(", ", Served)}.";
        }

        return options.ServerMaxReceiveSize <= 0 ? $"{KafkaSaslOptions.Section}:ServerMaxReceiveSize must be positive." : null;
    }
}
