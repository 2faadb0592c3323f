using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka.Brokers;

/// <summary>
/// The brokers Metadata names: every active silo of the cluster, from Orleans membership as this silo sees it now,
/// with the endpoint and rack the broker registered. Endpoints are kept here and asked of the registry only when a live broker
/// is not yet known, so a request never waits on the control plane for brokers it has already seen.
/// </summary>
public sealed partial class ClusterBrokers(
    IGrainFactory grains,
    IClusterMembershipService membership,
    BrokerIdentity self,
    ILogger<ClusterBrokers> logger)
{
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<int, BrokerEndpoint> _endpoints = new();

    // A broker registers its endpoint just after it joins, so the registry is read again a while after each change too.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private MembershipVersion _seen = MembershipVersion.MinValue;
    private long _refreshedAt;
    private int _refreshing;

    /// <summary>Broker ids of the active silos, this broker among them, in ascending order.</summary>
    public IReadOnlyList<int> LiveIds()
    {
        var ids = new SortedSet<int> { self.BrokerId };
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && BrokerNames.TryParse(member.Name, out var id))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    /// <summary>Whether the broker is an active member now.</summary>
    public bool IsLive(int brokerId) => LiveIds().Contains(brokerId);

    /// <summary>The controller Metadata names: the live broker with the lowest id, the same on every silo that agrees on membership.</summary>
    public int ControllerId() => LiveIds()[0];

    /// <summary>
    /// The live brokers with their endpoints; a live broker whose endpoint cannot be learnt is left out. With a
    /// <paramref name="listener"/>, each at its address on that listener, and those without it left out, as Kafka does.
    /// </summary>
    public async ValueTask<IReadOnlyList<BrokerEndpoint>> LiveAsync(string? listener = null)
    {
        _endpoints[self.BrokerId] = self.Endpoint;
        var ids = LiveIds();

        // A broker that restarted may advertise a new address: look again when membership changed and now and then,
        // in the background unless a live broker's endpoint is still unknown.
        var version = membership.CurrentSnapshot.Version;
        if (ids.Any(id => !_endpoints.ContainsKey(id)))
        {
            await RefreshAsync(version);
        }
        else if ((version != _seen || Stopwatch.GetElapsedTime(Volatile.Read(ref _refreshedAt)) > RefreshInterval)
            && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = RefreshAsync(version).ContinueWith(_ => Volatile.Write(ref _refreshing, 0), TaskScheduler.Default);
        }

        return ids.Select(id => _endpoints.GetValueOrDefault(id))
            .Select(endpoint => listener is null ? endpoint : endpoint?.On(listener))
            .OfType<BrokerEndpoint>().ToList();
    }

    /// <summary>Puts this broker's endpoint and rack in the registry; called when the silo becomes active.</summary>
    public Task RegisterSelfAsync() => grains.GetGrain<IBrokerRegistryGrain>(0).RegisterAsync(self.Endpoint);

    private async Task RefreshAsync(MembershipVersion version)
    {
        try
        {
            var known = await grains.GetGrain<IBrokerRegistryGrain>(0).ListAsync().WaitAsync(RegistryTimeout);
            foreach (var endpoint in known)
            {
                if (endpoint.BrokerId != self.BrokerId)
                {
                    _endpoints[endpoint.BrokerId] = endpoint;
                }
            }

            _seen = version;
            Volatile.Write(ref _refreshedAt, Stopwatch.GetTimestamp());
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogRegistryUnavailable(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker registry unavailable, answering with the brokers already known: {Reason}")]
    private static partial void LogRegistryUnavailable(ILogger logger, string reason);
}
