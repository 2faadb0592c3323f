using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.ControlPlane;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.SchemaRegistry.Security;

/// <summary>
/// This silo's Schema Registry authorizer: Kafka's ACL rules (<see cref="AclAuthorizer"/>) over a copy of the
/// registry's ACLs (<see cref="AclScope.SchemaRegistry"/>), read again every 250 ms when their version moved, so that
/// an ACL changed through any silo holds on every silo within a second, and on the silo that changed it at once.
/// Until the first copy is read, checks wait for it; without an authorizer everything is allowed.
/// </summary>
public sealed partial class RegistryAuthorizer : IAsyncDisposable
{
    private readonly RegistryAuthorizerOptions _options;
    private readonly IReadOnlySet<string> _superUsers;
    private readonly ILogger<RegistryAuthorizer> _logger;
    private readonly RateLimitedLog _log = new();
    private readonly ControlPlaneCopy<AclAuthorizer> _copy;

    public RegistryAuthorizer(IGrainFactory grains, IOptions<RegistryAuthorizerOptions> options, ILogger<RegistryAuthorizer> logger, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        _superUsers = AclAuthorizer.ParseSuperUsers(_options.SuperUsers);
        var allowEveryone = _options.AllowEveryoneIfNoAclFound;
        Acls = grains.GetGrain<IAclsGrain>((long)AclScope.SchemaRegistry);
        _copy = new ControlPlaneCopy<AclAuthorizer>(
            async known => await Acls.GetIfChangedAsync(known) is { } snapshot
                ? (snapshot.Version, new AclAuthorizer(snapshot.Bindings, _superUsers, allowEveryone))
                : null,
            "registry ACLs",
            logger,
            time);
    }

    public bool Enabled => _options.Enabled;

    /// <summary>The grain the registry's ACLs are kept in.</summary>
    public IAclsGrain Acls { get; }

    /// <summary>Completes once checks can be answered: at once without an authorizer or once the ACLs were read.</summary>
    public ValueTask ReadyAsync(CancellationToken cancellation) => Enabled ? _copy.ReadyAsync(cancellation) : ValueTask.CompletedTask;

    /// <summary>Reads the ACLs now if their version moved: after a change made through this silo.</summary>
    public Task RefreshAsync(CancellationToken cancellation = default) => _copy.RefreshAsync(cancellation);

    /// <summary>Whether <paramref name="principal"/> is one of the super users.</summary>
    public bool IsSuperUser(string principal) => _superUsers.Contains(principal);

    /// <summary>
    /// Whether <paramref name="principal"/>, from <paramref name="host"/>, may do <paramref name="operation"/> (to
    /// <paramref name="subject"/>, for a subject's operation). A denial is logged (rate-limited) naming
    /// <paramref name="loggedAs"/>, unless that is null: where the registry only asks in order to filter a list.
    /// </summary>
    public bool Authorize(string principal, string host, RegistryOperation operation, string? subject, string? loggedAs)
    {
        if (!Enabled)
        {
            return true;
        }

        var (type, acl) = operation.Acl();
        var name = operation.OnSubject() ? subject ?? "" : AclBinding.RegistryName;
        var allowed = _copy.Current?.Authorize(principal, host, acl, type, name) ?? false;
        if (!allowed && loggedAs is not null && _log.ShouldLog(nameof(LogDenied), out var suppressed))
        {
            LogDenied(_logger, principal, operation.Name(), host, name, loggedAs, suppressed);
        }

        return allowed;
    }

    /// <summary>Whether the principal may see <paramref name="subject"/> in a list: any subject ACL of read, write or delete allowing it.</summary>
    public bool MayList(string principal, string host, string subject) =>
        !Enabled || (_copy.Current?.Authorize(principal, host, AclOperation.Describe, AclResourceType.Subject, subject) ?? false);

    public ValueTask DisposeAsync() => _copy.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Principal = {Principal} is Denied operation = {Operation} from host = {Host} on resource = {ResourceName} ({Via}; {Suppressed} more denials not logged)")]
    private static partial void LogDenied(ILogger logger, string principal, string operation, string host, string resourceName, string via, long suppressed);
}
