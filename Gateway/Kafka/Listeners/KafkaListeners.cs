using System.Globalization;

namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>
/// The silo's Kafka listeners from <see cref="KafkaListenerOptions"/>, read as Kafka reads its broker settings:
/// <c>listeners</c> (<c>NAME://host:port</c>, comma-separated, each name and port once), <c>advertised.listeners</c>
/// (per name; a listener not named there is advertised at its own address, an empty host as
/// <see cref="KafkaListenerOptions.AdvertisedHost"/>), and <c>listener.security.protocol.map</c> (<c>NAME:PROTOCOL</c>;
/// by default each of Kafka's protocol names maps to itself). Without <c>Listeners</c>, one PLAINTEXT listener on
/// <see cref="KafkaListenerOptions.Port"/>, advertised at <see cref="KafkaListenerOptions.AdvertisedHost"/>.
/// </summary>
public static class KafkaListeners
{
    public const string DefaultProtocolMap = "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";


    /// <summary>The listeners, in the order configured; the first is the one a broker is known by where only one is named.</summary>
    public static IReadOnlyList<KafkaListener> From(KafkaListenerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Listeners))
        {
            return [new KafkaListener("PLAINTEXT", "", options.Port, SecurityProtocol.Plaintext, options.AdvertisedHost, options.EffectiveAdvertisedPort)];
        }

        var protocols = ParseProtocolMap(options.ListenerSecurityProtocolMap ?? DefaultProtocolMap);
        var bound = ParseAddresses(options.Listeners, "Listeners");
        var advertised = string.IsNullOrWhiteSpace(options.AdvertisedListeners)
            ? new Dictionary<string, (string Host, int Port)>(StringComparer.Ordinal)
            : ParseAddresses(options.AdvertisedListeners, "AdvertisedListeners").ToDictionary(a => a.Name, a => (a.Host, a.Port), StringComparer.Ordinal);
        if (advertised.Keys.FirstOrDefault(name => bound.All(b => b.Name != name)) is { } stray)
        {
            throw Invalid($"AdvertisedListeners names {stray}, which Listeners does not.");
        }

        if (bound.GroupBy(b => b.Port).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw Invalid($"Listeners binds port {shared.Key} more than once.");
        }

        return bound.Select(b =>
        {
            if (!protocols.TryGetValue(b.Name, out var protocol))
            {
                throw Invalid($"Listener {b.Name} has no security protocol in ListenerSecurityProtocolMap.");
            }

            // A wildcard bind address is no address to connect to: Kafka refuses to advertise it, and takes the host name.
            var (host, port) = advertised.TryGetValue(b.Name, out var a) ? a : (b.Host, b.Port);
            var routable = host.Length > 0 && host is not ("0.0.0.0" or "::");
            return new KafkaListener(b.Name, b.Host, b.Port, protocol, routable ? host : options.AdvertisedHost, port);
        }).ToList();
    }

    /// <summary>Kafka's name of a protocol.</summary>
    public static string Name(SecurityProtocol protocol) => protocol switch
    {
        SecurityProtocol.Plaintext => "PLAINTEXT",
        SecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
        SecurityProtocol.Ssl => "SSL",
        SecurityProtocol.SaslSsl => "SASL_SSL",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    private static Dictionary<string, SecurityProtocol> ParseProtocolMap(string map)
    {
        var protocols = new Dictionary<string, SecurityProtocol>(StringComparer.Ordinal);
        foreach (var entry in map.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var protocol = colon > 0 ? entry[(colon + 1)..] switch
            {
                "PLAINTEXT" => SecurityProtocol.Plaintext,
                "SASL_PLAINTEXT" => SecurityProtocol.SaslPlaintext,
                "SSL" => SecurityProtocol.Ssl,
                "SASL_SSL" => SecurityProtocol.SaslSsl,
                _ => (SecurityProtocol?)null,
            } : null;
            if (protocol is null || !protocols.TryAdd(entry[..colon].ToUpperInvariant(), protocol.Value))
            {
                throw Invalid($"ListenerSecurityProtocolMap entry '{entry}' is not NAME:PROTOCOL with a new name and one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.");
            }
        }

        return protocols;
    }

    private static List<(string Name, string Host, int Port)> ParseAddresses(string text, string setting)
    {
        var addresses = new List<(string Name, string Host, int Port)>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var scheme = entry.IndexOf("://", StringComparison.Ordinal);
            var colon = entry.LastIndexOf(':');
            var host = scheme > 0 && colon > scheme + 2 ? entry[(scheme + 3)..colon].Trim('[', ']') : null;
            if (host is null || !int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw Invalid($"{setting} entry '{entry}' is not NAME://host:port.");
            }

            // Listener names are case-insensitive, as Kafka's ListenerName normalises them.
            var name = entry[..scheme].ToUpperInvariant();
            if (addresses.Any(a => a.Name == name))
            {
                throw Invalid($"{setting} names {name} more than once.");
            }

            addresses.Add((name, host, port));
        }

        return addresses.Count > 0 ? addresses : throw Invalid($"{setting} names no listener.");
    }

    private static InvalidOperationException Invalid(string reason) => new($"{KafkaListenerOptions.Section}: {reason}");
}
