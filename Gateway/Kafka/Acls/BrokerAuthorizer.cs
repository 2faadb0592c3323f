using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Interfaces.Security;
using Tributary.Gateway.Kafka.ControlPlane;
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
    public static readonly TimeSpan RefreshInterval = ControlPlaneCopy<AclAuthorizer>.RefreshInterval;

    private readonly KafkaAuthorizerOptions _options;
    private readonly ILogger<BrokerAuthorizer> _logger;
    private readonly RateLimitedLog _log = new();
    private readonly ControlPlaneCopy<AclAuthorizer> _copy;

    public BrokerAuthorizer(IGrainFactory grains, IOptions<KafkaAuthorizerOptions> options, ILogger<BrokerAuthorizer> logger, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        var superUsers = AclAuthorizer.ParseSuperUsers(_options.SuperUsers);
        var allowEveryone = _options.AllowEveryoneIfNoAclFound;
        _copy = new ControlPlaneCopy<AclAuthorizer>(
            async known => await grains.GetGrain<IAclsGrain>((long)AclScope.Kafka).GetIfChangedAsync(known) is { } snapshot
                ? (snapshot.Version, new AclAuthorizer(snapshot.Bindings, superUsers, allowEveryone))
                : null,
            "ACLs",
            logger,
            time);
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Completes once checks can be answered: at once without an authorizer or once the ACLs were read.</summary>
    public ValueTask ReadyAsync(CancellationToken cancellation) => Enabled ? _copy.ReadyAsync(cancellation) : ValueTask.CompletedTask;

    /// <summary>Reads the ACLs now if their version moved: after a change made through this broker.</summary>
    public Task RefreshAsync(CancellationToken cancellation = default) => _copy.RefreshAsync(cancellation);

    /// <summary>
    /// Whether the request's principal, from its host, may do <paramref name="operation"/> to the resource. A denial is
    /// logged (rate-limited) unless <paramref name="logIfDenied"/> is false: where Kafka only asks in order to filter
    /// (the topics Metadata lists, the groups ListGroups shows) or to try another right first.
    /// </summary>
    public bool Authorize(KafkaRequest request, AclOperation operation, AclResourceType resourceType, string resourceName, bool logIfDenied = true) =>
        !Enabled || Check(request.Principal, Host(request), operation, resourceType, resourceName, logIfDenied, request.ApiKey, null);

    /// <summary>
    /// Whether <paramref name="principal"/> (<c>User:name</c>), from <paramref name="host"/>, may do
    /// <paramref name="operation"/> to the resource: for callers of other APIs than Kafka's (the REST Proxy's users). A
    /// denial is logged (rate-limited) naming <paramref name="loggedAs"/> as what asked, unless that is null.
    /// </summary>
    public bool Authorize(string principal, string host, AclOperation operation, AclResourceType resourceType, string resourceName, string? loggedAs) =>
        !Enabled || Check(principal, host, operation, resourceType, resourceName, loggedAs is not null, default, loggedAs);

    private bool Check(
        string principal, string host, AclOperation operation, AclResourceType resourceType, string resourceName, bool logIfDenied, Protocol.Messages.ApiKey apiKey, string? via)
    {
        var allowed = _copy.Current?.Authorize(principal, host, operation, resourceType, resourceName) ?? false;
        if (!allowed && logIfDenied && _log.ShouldLog(nameof(LogDenied), out var suppressed))
        {
            LogDenied(_logger, principal, operation, host, resourceType, resourceName, via ?? apiKey.ToString(), suppressed);
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
        !Enabled || (_copy.Current?.AuthorizeAny(request.Principal, Host(request), operation, resourceType) ?? false);

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

        var authorizer = _copy.Current;
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

    public ValueTask DisposeAsync() => _copy.DisposeAsync();

    private static string Host(KafkaRequest request) => request.ClientAddress;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Principal = {Principal} is Denied operation = {Operation} from host = {Host} on resource = {ResourceType}:{ResourceName} ({Via}; {Suppressed} more denials not logged)")]
    private static partial void LogDenied(
        ILogger logger, string principal, AclOperation operation, string host, AclResourceType resourceType, string resourceName, string via, long suppressed);
}
