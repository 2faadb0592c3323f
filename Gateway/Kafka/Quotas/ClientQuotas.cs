using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.ControlPlane;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>
/// This broker's client quotas (Kafka's <c>QuotaManagers</c>): the cluster's quota entities, read from the control
/// plane into a <see cref="ControlPlaneCopy{T}"/>, and the rates that this broker measures against them, per user and
/// client id as Kafka's precedence decides (<see cref="ClientQuotaResolver"/>). As in Kafka each broker measures what
/// it serves itself: a quota of 1 MB/s lets a client produce 1 MB/s to each broker. The rates cover
/// <see cref="KafkaListenerOptions.QuotaWindowNum"/> windows of <see cref="KafkaListenerOptions.QuotaWindowSizeSeconds"/>.
/// </summary>
public sealed partial class ClientQuotas : IAsyncDisposable
{
    private readonly ControlPlaneCopy<ClientQuotaResolver> _copy;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _log = new();
    private int _reading;
    private readonly int _samples;
    private readonly long _windowMs;

    public ClientQuotas(IGrainFactory grains, IOptions<KafkaListenerOptions> options, ILogger<ClientQuotas> logger, TimeProvider? time = null)
        : this(known => grains.GetGrain<IClientQuotasGrain>(0).GetIfChangedAsync(known), options, logger, time)
    {
    }

    private ClientQuotas(
        Func<long, Task<ClientQuotaSnapshot?>> read, IOptions<KafkaListenerOptions> options, ILogger<ClientQuotas> logger, TimeProvider? time)
    {
        time ??= TimeProvider.System;
        _logger = logger;
        _samples = Math.Max(1, options.Value.QuotaWindowNum);
        _windowMs = Math.Max(1, options.Value.QuotaWindowSizeSeconds) * 1000L;
        _copy = new ControlPlaneCopy<ClientQuotaResolver>(
            async known => await read(known) is { } snapshot ? (snapshot.Version, new ClientQuotaResolver(snapshot.Entries)) : null,
            "client quotas",
            logger,
            time);
        Produced = new QuotaSensors(_samples, _windowMs, time);
        Fetched = new QuotaSensors(_samples, _windowMs, time);
        RequestTime = new QuotaSensors(_samples, _windowMs, time);
        Connections = new QuotaSensors(_samples, _windowMs, time);
    }

    /// <summary>Quotas read from <paramref name="read"/> rather than from the control plane: for a gateway tested without a cluster.</summary>
    public static ClientQuotas Reading(
        Func<long, Task<ClientQuotaSnapshot?>> read, IOptions<KafkaListenerOptions> options, ILogger<ClientQuotas> logger, TimeProvider? time = null) =>
        new(read, options, logger, time);

    /// <summary>Bytes of Produce requests (<c>producer_byte_rate</c>).</summary>
    public QuotaSensors Produced { get; }

    /// <summary>Bytes of Fetch responses (<c>consumer_byte_rate</c>).</summary>
    public QuotaSensors Fetched { get; }

    /// <summary>Time spent handling requests, in percent of a second per second (<c>request_percentage</c>).</summary>
    public QuotaSensors RequestTime { get; }

    /// <summary>Connections accepted per IP address (<c>connection_creation_rate</c>).</summary>
    public QuotaSensors Connections { get; }

    /// <summary>The quotas last read (none before the first read).</summary>
    public ClientQuotaResolver Resolver => _copy.Current ?? ClientQuotaResolver.Empty;

    /// <summary>
    /// Starts reading the cluster's quotas if they were never read, without waiting: a broker holds clients to them from
    /// its first read (within a second of its first request), so that quotas neither delay a starting broker's first
    /// answers nor make a broker unavailable when the control plane cannot answer (logged rate-limited, asked again by
    /// the next request).
    /// </summary>
    public void EnsureRead()
    {
        if (_copy.Current is null && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
        {
            _ = FirstReadAsync();
        }
    }

    /// <summary>Reads the quotas now if their version moved: after a change made through this broker.</summary>
    public Task RefreshAsync(CancellationToken cancellation = default) => _copy.RefreshAsync(cancellation);

    /// <summary>The request's quota for <paramref name="key"/>, or null when none bounds it.</summary>
    public ClientQuotaBound? BoundOf(KafkaRequest request, string key)
    {
        // Most brokers have no quota of most kinds: finding that out costs one lookup, and no allocation.
        var resolver = Resolver;
        return resolver.Sets(key) ? resolver.Resolve(key, UserOf(request.Principal), request.ClientId ?? string.Empty) : null;
    }

    /// <summary>Counts a Produce request's bytes; the throttle time (ms) when they take the client over its quota.</summary>
    public int RecordProduced(KafkaRequest request, long bytes) =>
        BoundOf(request, ClientQuotaKeys.ProducerByteRate) is { } bound ? Clamp(Produced.Record(bound, bytes)) : 0;

    /// <summary>
    /// The most bytes a Fetch may return without being certain to be throttled (Kafka's <c>getMaxValueInQuotaWindow</c>):
    /// what the quota allows over all windows but the current one; <see cref="long.MaxValue"/> without a quota.
    /// </summary>
    public long MaxFetchBytes(KafkaRequest request) =>
        BoundOf(request, ClientQuotaKeys.ConsumerByteRate) is { } bound
            ? (long)Math.Min(long.MaxValue, bound.Limit * (_samples - 1) * (_windowMs / 1000.0))
            : long.MaxValue;

    /// <summary>
    /// Counts the time a request took (less what it spent waiting for data), in Kafka's unit: percent of a second; the
    /// throttle time (ms), at most one window as Kafka bounds it, when it takes the client over its quota.
    /// </summary>
    public int RecordRequestTime(KafkaRequest request, TimeSpan spent) =>
        BoundOf(request, ClientQuotaKeys.RequestPercentage) is { } bound
            ? Clamp(Math.Min(RequestTime.Record(bound, spent.TotalNanoseconds * 100 / 1e9), _windowMs))
            : 0;

    /// <summary>
    /// Counts a connection from <paramref name="address"/> against its IP quota (its own, else the IP default); the
    /// throttle time (ms, at most one window, Kafka's bound) when it is one too many, in which case it is not counted, as Kafka
    /// refuses it: the caller closes it once that time is over.
    /// </summary>
    public int RecordConnection(string address)
    {
        if (!Resolver.Sets(ClientQuotaKeys.ConnectionCreationRate)
            || Resolver.ResolveIp(ClientQuotaKeys.ConnectionCreationRate, address) is not { } limit)
        {
            return 0;
        }

        var bound = new ClientQuotaBound(limit, address, string.Empty);
        var throttle = Connections.Record(bound, 1);
        if (throttle <= 0)
        {
            return 0;
        }

        Connections.Unrecord(bound, 1);
        return Clamp(Math.Min(throttle, _windowMs));
    }

    /// <summary>The user a principal names, as Kafka's quotas key it: <c>User:alice</c> is <c>alice</c>.</summary>
    public static string UserOf(string principal)
    {
        var colon = principal.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? principal : principal[(colon + 1)..];
    }

    public ValueTask DisposeAsync() => _copy.DisposeAsync();

    private async Task FirstReadAsync()
    {
        try
        {
            await _copy.ReadyAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            if (_log.ShouldLog(nameof(LogUnread), out var suppressed))
            {
                LogUnread(_logger, e, suppressed);
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    private static int Clamp(long throttleMs) => (int)Math.Clamp(throttleMs, 0, int.MaxValue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cluster's client quotas; requests go on without them until they are read ({Suppressed} more failures not logged)")]
    private static partial void LogUnread(ILogger logger, Exception exception, long suppressed);
}
