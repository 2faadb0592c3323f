namespace Tributary.Grains.KafkaFormats.Quotas;

/// <summary>
/// The quota a client is held to for one key, and whom it is shared with: every client with the same
/// <see cref="User"/> and <see cref="ClientId"/> tags (an empty tag: any) counts against one rate, as Kafka's quota
/// metric tags decide.
/// </summary>
public readonly record struct ClientQuotaBound(double Limit, string User, string ClientId);

/// <summary>
/// Finds a client's quota among the cluster's entities with Kafka's precedence (its <c>DefaultQuotaCallback</c>):
/// /users/&lt;user&gt;/clients/&lt;client-id&gt;, /users/&lt;user&gt;/clients/&lt;default&gt;, /users/&lt;user&gt;,
/// /users/&lt;default&gt;/clients/&lt;client-id&gt;, /users/&lt;default&gt;/clients/&lt;default&gt;,
/// /users/&lt;default&gt;, /clients/&lt;client-id&gt;, /clients/&lt;default&gt;: the first that sets the key wins, each
/// key on its own. Immutable: built once per snapshot and shared by every connection of a broker.
/// </summary>
public sealed class ClientQuotaResolver
{
    public static readonly ClientQuotaResolver Empty = new([]);

    private readonly Dictionary<string, Dictionary<ClientQuotaEntity, double>> _byKey = new(StringComparer.Ordinal);

    public ClientQuotaResolver(IEnumerable<ClientQuotaEntry> entries)
    {
        foreach (var entry in entries)
        {
            foreach (var value in entry.Values)
            {
                if (!_byKey.TryGetValue(value.Key, out var entities))
                {
                    _byKey[value.Key] = entities = [];
                }

                // An IP address is matched in the form clients' addresses are written in, however it was set.
                var entity = entry.Entity.Ip is { Name: { } ip } && Net.JavaHostAddress.Canonical(ip) is { } canonical
                    ? entry.Entity with { Ip = new ClientQuotaName(canonical) }
                    : entry.Entity;
                entities[entity] = value.Value;
            }
        }
    }

    /// <summary>Whether any entity sets <paramref name="key"/>: without one, nothing of that kind need be counted.</summary>
    public bool Sets(string key) => _byKey.ContainsKey(key);

    /// <summary>
    /// The quota for <paramref name="key"/> of the principal named <paramref name="user"/> (its name, without
    /// <c>User:</c>) using <paramref name="clientId"/>, or null when no entity bounds it.
    /// </summary>
    public ClientQuotaBound? Resolve(string key, string user, string clientId)
    {
        if (!_byKey.TryGetValue(key, out var entities))
        {
            return null;
        }

        var userName = new ClientQuotaName(user);
        var clientName = new ClientQuotaName(clientId);
        var anyone = ClientQuotaName.Default;
        bool Has(ClientQuotaName? u, ClientQuotaName? c) => entities.ContainsKey(new ClientQuotaEntity(u, c));
        double? Limit(ClientQuotaName? u, ClientQuotaName? c) => entities.TryGetValue(new ClientQuotaEntity(u, c), out var limit) ? limit : null;

        // Kafka's quotaMetricTags: which clients share the rate, from the most specific entity that sets the key.
        var (userTag, clientTag) =
            Has(userName, clientName) || Has(userName, anyone) ? (user, clientId)
            : Has(userName, null) ? (user, string.Empty)
            : Has(anyone, clientName) || Has(anyone, anyone) ? (user, clientId)
            : Has(anyone, null) ? (user, string.Empty)
            : (string.Empty, clientId);

        // Kafka's quotaLimit, from the tags alone: so an empty client id, which no entity can name, is bounded only
        // by user quotas, as in Kafka.
        var found = (userTag.Length > 0, clientTag.Length > 0) switch
        {
            (true, true) => Limit(new(userTag), new(clientTag)) ?? Limit(new(userTag), anyone) ?? Limit(anyone, new(clientTag)) ?? Limit(anyone, anyone),
            (true, false) => Limit(new(userTag), null) ?? Limit(anyone, null),
            (false, true) => Limit(null, new(clientTag)) ?? Limit(null, anyone),
            _ => null,
        };
        return found is { } bound ? new ClientQuotaBound(bound, userTag, clientTag) : null;
    }

    /// <summary>
    /// The quota for <paramref name="key"/> of an IP address written as Java writes it (<see cref="Net.JavaHostAddress"/>):
    /// its own, else the IP default; null when none.
    /// </summary>
    public double? ResolveIp(string key, string ip) =>
        !_byKey.TryGetValue(key, out var entities) ? null
        : entities.TryGetValue(new ClientQuotaEntity(null, null, new ClientQuotaName(ip)), out var own) ? own
        : entities.TryGetValue(new ClientQuotaEntity(null, null, ClientQuotaName.Default), out var fallback) ? fallback
        : null;
}
