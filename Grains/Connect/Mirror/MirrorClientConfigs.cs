using System.Text.RegularExpressions;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// Confluent.Kafka (librdkafka) settings for the clients of both clusters, from the connector's properties as
/// MirrorMaker reads them (<c>MirrorConnectorConfig.sourceConsumerConfig</c> and friends): cluster-wide
/// <c>source.cluster.*</c> / <c>target.cluster.*</c> settings that are client settings, then the role's own
/// <c>source.consumer.*</c>, <c>source.admin.*</c> or <c>target.admin.*</c>, which win. Java-only settings that
/// librdkafka would reject are left out of the cluster-wide ones, and a PLAIN or SCRAM <c>sasl.jaas.config</c> becomes
/// <c>sasl.username</c> and <c>sasl.password</c>.
/// </summary>
internal sealed partial class MirrorClientConfigs(IReadOnlyDictionary<string, string> originals, string sourceAlias, string targetAlias)
{
    private const string SourceClusterPrefix = "source.cluster.";
    private const string TargetClusterPrefix = "target.cluster.";

    // The client settings librdkafka shares with Java's clients (Kafka keeps only CommonClientConfigs here).
    private static readonly HashSet<string> ClientSettings = new(StringComparer.Ordinal)
    {
        "bootstrap.servers", "client.id", "client.rack", "client.dns.lookup", "security.protocol", "metadata.max.age.ms",
        "socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.max.ms", "connections.max.idle.ms",
        "reconnect.backoff.ms", "reconnect.backoff.max.ms", "retry.backoff.ms", "retry.backoff.max.ms",
        "socket.send.buffer.bytes", "socket.receive.buffer.bytes",
    };

    // sasl.* and ssl.* settings that only Java's clients know; librdkafka refuses unknown settings.
    private static readonly string[] JavaOnlyPrefixes =
    [
        "sasl.jaas.config", "sasl.login.", "sasl.client.callback.handler.class", "sasl.kerberos.min.time.before.relogin",
        "sasl.kerberos.ticket.renew.", "sasl.oauthbearer.jwks.", "sasl.oauthbearer.expected.", "sasl.oauthbearer.clock.skew.seconds",
        "sasl.oauthbearer.sub.claim.name", "sasl.oauthbearer.scope.claim.name", "sasl.oauthbearer.token.endpoint.url.",
        "ssl.truststore.", "ssl.keystore.type", "ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.protocol",
        "ssl.enabled.protocols", "ssl.provider", "ssl.trustmanager.algorithm", "ssl.keymanager.algorithm",
        "ssl.secure.random.implementation", "ssl.engine.factory.class",
    ];

    private readonly string _label = $"{sourceAlias}->{targetAlias}|{originals.GetValueOrDefault("name") ?? "MirrorSourceConnector"}";

    /// <summary>The replication consumer: no group is joined and nothing is committed, offsets live in Connect's store.</summary>
    public Dictionary<string, string> SourceConsumer(string role)
    {
        var settings = Build(SourceClusterPrefix, "source.consumer.", role);
        settings["enable.auto.commit"] = "false";
        settings["enable.auto.offset.store"] = "false";
        settings.TryAdd("auto.offset.reset", "earliest");

        // librdkafka stops fetching a partition whose local queue holds queued.min.messages (100,000 records) and looks
        // again only after fetch.queue.backoff.ms, a second by default: a task draining a backlog then waits for records
        // the source cluster already has, where Kafka's consumer fetches again as soon as a partition's buffer is
        // drained. 600,000 records of one partition took 6.7-6.8 s to mirror with the default, 5.0-5.2 s with 100 ms.
        settings.TryAdd("fetch.queue.backoff.ms", "100");

        // librdkafka insists on a group id even for a consumer that only assigns partitions; it is never joined.
        settings.TryAdd("group.id", _label);
        return settings;
    }

    public Dictionary<string, string> SourceAdmin(string role) => Build(SourceClusterPrefix, "source.admin.", role);

    public Dictionary<string, string> TargetAdmin(string role) => Build(TargetClusterPrefix, "target.admin.", role);

    private Dictionary<string, string> Build(string clusterPrefix, string rolePrefix, string role)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in WithPrefix(clusterPrefix).Where(p => IsClientSetting(p.Key)))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in Translate(WithPrefix(clusterPrefix)))
        {
            settings.TryAdd(key, value);
        }

        // The role's own settings win over the cluster's, translated ones over the cluster's too.
        var own = WithPrefix(rolePrefix).Where(p => p.Key != "sasl.jaas.config").ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in Translate(WithPrefix(rolePrefix)).Where(p => !own.ContainsKey(p.Key)).Concat(own))
        {
            settings[key] = value;
        }

        // As Kafka's addClientId: the user's id, then which connector and client this is.
        var label = _label + "|" + role;
        settings["client.id"] = settings.TryGetValue("client.id", out var id) ? id + "|" + label : label;
        return settings;
    }

    internal static bool IsClientSetting(string key) =>
        ClientSettings.Contains(key)
        || ((key.StartsWith("sasl.", StringComparison.Ordinal) || key.StartsWith("ssl.", StringComparison.Ordinal))
            && !JavaOnlyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)));

    private IEnumerable<KeyValuePair<string, string>> WithPrefix(string prefix) =>
        originals.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Key.Length > prefix.Length)
            .Select(p => KeyValuePair.Create(p.Key[prefix.Length..], p.Value));

    /// <summary>Java settings with a librdkafka equivalent.</summary>
    private static Dictionary<string, string> Translate(IEnumerable<KeyValuePair<string, string>> settings)
    {
        var into = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            if (key == "sasl.jaas.config")
            {
                if (JaasUsername().Match(value) is { Success: true } user)
                {
                    into.TryAdd("sasl.username", user.Groups[1].Value);
                }

                if (JaasPassword().Match(value) is { Success: true } password)
                {
                    into.TryAdd("sasl.password", password.Groups[1].Value);
                }
            }
            else if (key == "ssl.endpoint.identification.algorithm" && value.Trim().Length == 0)
            {
                // Java turns host name checks off with an empty value, librdkafka with "none".
                into[key] = "none";
            }
        }

        return into;
    }

    [GeneratedRegex("""username\s*=\s*"([^"]*)"\s*""", RegexOptions.CultureInvariant)]
    private static partial Regex JaasUsername();

    [GeneratedRegex("""password\s*=\s*"([^"]*)"\s*""", RegexOptions.CultureInvariant)]
    private static partial Regex JaasPassword();
}
