using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Acls;

/// <summary>
/// This broker's authorizer: Kafka's standard ACL rules (<see cref="AclAuthorizer"/>) over a copy of the cluster's
/// ACLs, so that a request's checks cost no call. The copy is asked for again every <see cref="RefreshInterval"/>
/// (the control plane answers only when the ACLs' version moved), so an ACL created or deleted through any broker
/// holds on every broker within a second; the broker that made the change reads it at once.
/// <para>Until the first copy is read, requests wait for it (<see cref="ReadyAsync"/>); a check never guesses. With
/// no authorizer configured everything is allowed, as in Kafka.</para>
/// </summary>
public sealed partial class BrokerAuthorizer : IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private readonly IGrainFactory _grains;
    private readonly KafkaAuthorizerOptions _options;
    private readonly IReadOnlySet<string> _superUsers;
    private readonly ILogger<BrokerAuthorizer> _logger;
    private readonly TimeProvider _time;
    private readonly RateLimitedLog _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Lock _starting = new();
    private volatile State? _state;
    private Task? _first;
    private Task? _refreshing;

    public BrokerAuthorizer(IGrainFactory grains, IOptions<KafkaAuthorizerOptions> options, ILogger<BrokerAuthorizer> logger, TimeProvider? time = null)
    {
        _grains = grains;
        _options = options.Value;
        _superUsers = AclAuthorizer.ParseSuperUsers(_options.SuperUsers);
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Completes once checks can be answered: at once without an authorizer or once the ACLs were read.</summary>
    public ValueTask ReadyAsync(CancellationToken cancellation)
    {
        if (!Enabled || _state is not null)
        {
            return ValueTask.CompletedTask;
        }

        lock (_starting)
        {
            // A first read that failed is tried again by the next request, rather than every request failing on one lost call.
            if (_first is { IsFaulted: true } or { IsCanceled: true })
            {
                _first = null;
            }

            _first ??= FirstReadAsync();
            return new ValueTask(_first.WaitAsync(cancellation));
        }
    }

    /// <summary>Reads the ACLs now if their version moved: after a change made through this broker.</summary>
    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        await _reading.WaitAsync(cancellation);
        try
        {
            var known = _state?.Version ?? -1;
            if (await _grains.GetGrain<IAclsGrain>(0).GetIfChangedAsync(known) is { } snapshot)
            {
                _state = new State(snapshot.Version, new AclAuthorizer(snapshot.Bindings, _superUsers, _options.AllowEveryoneIfNoAclFound));
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>
    /// Whether the request's principal, from its host, may do <paramref name="operation"/> to the resource. A denial is
    /// logged (rate-limited) unless <paramref name="logIfDenied"/> is false: where Kafka only asks in order to filter
    /// (the topics Metadata lists, the groups ListGroups shows) or to try another right first.
    /// </summary>
    public bool Authorize(KafkaRequest request, AclOperation operation, AclResourceType resourceType, string resourceName, bool logIfDenied = true)
    {
        if (!Enabled)
        {
            return true;
        }

        var allowed = _state?.Authorizer.Authorize(request.Principal, Host(request), operation, resourceType, resourceName) ?? false;
        if (!allowed && logIfDenied && _log.ShouldLog(nameof(LogDenied), out var suppressed))
        {
            LogDenied(_logger, request.Principal, operation, Host(request), resourceType, resourceName, request.ApiKey, suppressed);
        }

        return allowed;
    }

    /// <summary>
    /// Of <paramref name="names"/>, those the principal may do <paramref name="operation"/> to, each asked once (Kafka's
    /// <c>filterByAuthorized</c>); null, meaning all, without an authorizer, so that a hot path spends nothing.
    /// </summary>
    public HashSet<string>? Allowed(KafkaRequest request, AclOperation operation, AclResourceType resourceType, IEnumerable<string> names) =>
        Enabled ? names.Distinct(StringComparer.Ordinal).Where(name => Authorize(request, operation, resourceType, name)).ToHashSet(StringComparer.Ordinal) : null;

    /// <summary>Whether <paramref name="name"/> is among those <see cref="Allowed"/> returned.</summary>
    public static bool IsAllowed(HashSet<string>? allowed, string name) => allowed is null || allowed.Contains(name);

    /// <summary>Whether the principal may do <paramref name="operation"/> to some resource of the type (Kafka's <c>authorizeByResourceType</c>).</summary>
    public bool AuthorizeAny(KafkaRequest request, AclOperation operation, AclResourceType resourceType) =>
        !Enabled || (_state?.Authorizer.AuthorizeAny(request.Principal, Host(request), operation, resourceType) ?? false);

    /// <summary>
    /// Of the operations in <paramref name="supported"/> (a bit per ACL operation code), those the principal may do
    /// to the resource: the <c>*AuthorizedOperations</c> fields. Checking them logs no denial, as in Kafka.
    /// </summary>
    public int AuthorizedOperations(KafkaRequest request, AclResourceType resourceType, string resourceName, int supported)
    {
        if (!Enabled)
        {
            return supported;
        }

        var authorizer = _state?.Authorizer;
        var allowed = 0;
        for (var code = 0; code < 32; code++)
        {
            if ((supported & (1 << code)) != 0
                && authorizer?.Authorize(request.Principal, Host(request), (AclOperation)code, resourceType, resourceName) == true)
            {
                allowed |= 1 << code;
            }
        }

        return allowed;
    }

    public async ValueTask DisposeAsync()
    {
        Task? first;
        lock (_starting)
        {
            _stopping.Cancel();
            first = _first;
        }

        if (first is not null)
        {
            await first.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_refreshing is { } refreshing)
        {
            await refreshing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private static string Host(KafkaRequest request) => request.ClientAddress;

    private async Task FirstReadAsync()
    {
        await RefreshAsync(_stopping.Token);
        lock (_starting)
        {
            // Not once the broker is stopping: nothing would stop the loop.
            if (!_stopping.IsCancellationRequested)
            {
                _refreshing = Task.Run(RefreshLoopAsync);
            }
        }
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await RefreshAsync(_stopping.Token);
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    // The last ACLs read stay in force until the control plane answers again.
                    if (_log.ShouldLog(nameof(LogRefreshFailed), out var suppressed))
                    {
                        LogRefreshFailed(_logger, e, suppressed);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private sealed record State(long Version, AclAuthorizer Authorizer);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Principal = {Principal} is Denied operation = {Operation} from host = {Host} on resource = {ResourceType}:{ResourceName} ({ApiKey}; {Suppressed} more denials not logged)")]
    private static partial void LogDenied(
        ILogger logger, string principal, AclOperation operation, string host, AclResourceType resourceType, string resourceName, Protocol.Messages.ApiKey apiKey, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cluster's ACLs; the last ones read stay in force ({Suppressed} more failures not logged)")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, long suppressed);
}
