namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// A group member's settings, read from the consumer settings under librdkafka's (and Kafka's) names so that one
/// configuration serves both: <c>session.timeout.ms</c> (45000), <c>max.poll.interval.ms</c> as the rebalance
/// timeout (300000), <c>heartbeat.interval.ms</c> (3000), <c>group.instance.id</c> for static membership,
/// <c>retry.backoff.ms</c> (100), and <see cref="ClientSecurity"/>'s settings.
/// </summary>
internal sealed record GroupMemberSettings(
    IReadOnlyList<(string Host, int Port)> BootstrapServers,
    string GroupId,
    string ClientId,
    string? GroupInstanceId,
    TimeSpan SessionTimeout,
    TimeSpan RebalanceTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan RetryBackoff,
    ClientSecurity Security)
{
    public static GroupMemberSettings From(string bootstrapServers, string groupId, string clientId, IReadOnlyDictionary<string, string> consumerConfig) => new(
        ParseServers(bootstrapServers),
        groupId,
        clientId,
        consumerConfig.GetValueOrDefault("group.instance.id") is { Length: > 0 } instance ? instance : null,
        Milliseconds(consumerConfig, "session.timeout.ms", 45_000),
        Milliseconds(consumerConfig, "max.poll.interval.ms", 300_000),
        Milliseconds(consumerConfig, "heartbeat.interval.ms", 3_000),
        Milliseconds(consumerConfig, "retry.backoff.ms", 100),
        ClientSecurity.From(consumerConfig));

    /// <summary><c>host:port</c> pairs separated by commas; an IPv6 address in brackets.</summary>
    public static IReadOnlyList<(string Host, int Port)> ParseServers(string servers)
    {
        var parsed = new List<(string, int)>();
        foreach (var server in servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = server.Contains("://", StringComparison.Ordinal) ? server[(server.IndexOf("://", StringComparison.Ordinal) + 3)..] : server;
            var colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"Bootstrap server {server} is not host:port");
            }

            parsed.Add((address[..colon].Trim('[', ']'), port));
        }

        return parsed.Count > 0 ? parsed : throw new ArgumentException("No bootstrap servers");
    }

    private static TimeSpan Milliseconds(IReadOnlyDictionary<string, string> config, string name, int defaultValue)
    {
        if (config.GetValueOrDefault(name) is not { } text)
        {
            return TimeSpan.FromMilliseconds(defaultValue);
        }

        return int.TryParse(text, out var value) && value >= 0
            ? TimeSpan.FromMilliseconds(value)
            : throw new ArgumentException($"{name} must be a whole number of milliseconds, not {text}");
    }
}
