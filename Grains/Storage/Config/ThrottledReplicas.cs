using System.Globalization;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// A topic's <c>leader.replication.throttled.replicas</c> or <c>follower.replication.throttled.replicas</c>: the
/// wildcard <c>*</c> (every replica) or <c>partition:broker</c> pairs. A broker throttles a partition's replication
/// when the list names it for that partition (Kafka's ReplicationQuotaManager keeps the pairs of its own broker id).
/// </summary>
public sealed class ThrottledReplicas
{
    public static readonly ThrottledReplicas None = new(false, []);

    private readonly bool _all;
    private readonly HashSet<(int Partition, int Broker)> _replicas;

    private ThrottledReplicas(bool all, HashSet<(int, int)> replicas)
    {
        _all = all;
        _replicas = replicas;
    }

    /// <summary>Whether <paramref name="brokerId"/>'s replica of <paramref name="partition"/> is throttled.</summary>
    public bool Contains(int partition, int brokerId) => _all || _replicas.Contains((partition, brokerId));

    /// <summary>The list in a topic's configs under <paramref name="name"/>, or <see cref="None"/>; a value that does not parse throttles nothing.</summary>
    public static ThrottledReplicas Of(IReadOnlyDictionary<string, string> configs, string name) =>
        configs.TryGetValue(name, out var value) ? Parse(value) ?? None : None;

    /// <summary>Kafka's ThrottledReplicaListValidator: why <paramref name="value"/> is not a valid list, or null.</summary>
    public static string? Validate(string value) =>
        Parse(value) is null ? "must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],..." : null;

    private static ThrottledReplicas? Parse(string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items is ["*"])
        {
            return new ThrottledReplicas(true, []);
        }

        var replicas = new HashSet<(int, int)>();
        foreach (var item in items)
        {
            var parts = item.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var broker))
            {
                return null;
            }

            replicas.Add((partition, broker));
        }

        return new ThrottledReplicas(false, replicas);
    }
}
