using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// The registry's own ACLs, for its super users, where Confluent has its <c>sr-acl-cli</c> tool: <c>GET /acls</c>
/// lists, <c>POST /acls</c> adds one, <c>DELETE /acls</c> removes those its query names. Served only with the
/// registry's authorizer on. Lists and deletions take the ACL's fields as query parameters, each narrowing the match
/// (<c>pattern_type=MATCH</c> finds every ACL that applies to the subject named).
/// </summary>
internal static class AclsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/acls", ListAsync).RequiresSuperUser();
        api.MapPost("/acls", CreateAsync).RequiresSuperUser();
        api.MapDelete("/acls", DeleteAsync).RequiresSuperUser();
    }

    private static async Task<IResult> ListAsync(HttpRequest request, RegistryAuthorizer authorizer, RegistryRejections rejections)
    {
        if (FilterOf(request, out var reason) is not { } filter)
        {
            return Invalid(request, rejections, reason);
        }

        var found = await authorizer.Acls.DescribeAsync(filter);
        return found.Error == Grains.KafkaFormats.ErrorCode.None
            ? RegistryHttp.Json(found.Bindings.Select(BodyOf).ToList())
            : Invalid(request, rejections, found.Message ?? "Invalid ACL filter");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, RegistryAuthorizer authorizer, RegistryRejections rejections)
    {
        var (body, error) = await RegistryHttp.ReadAsync<RegistryAclBody>(request, rejections.Logger);
        if (body is null)
        {
            return error!;
        }

        if (BindingOf(body) is not { } binding)
        {
            return Invalid(request, rejections,
                "Invalid ACL: operation must be one of " + string.Join(", ", Enum.GetValues<RegistryOperation>().Select(o => o.Name()))
                + ", a SUBJECT_ operation names a subject and a GLOBAL_ one none, pattern_type is LITERAL or PREFIXED (a prefix naming a context closes it: :.ctx:), permission ALLOW or DENY");
        }

        var outcome = (await authorizer.Acls.CreateAsync([binding]))[0];
        if (outcome.Error != Grains.KafkaFormats.ErrorCode.None)
        {
            return Invalid(request, rejections, outcome.Message ?? "Invalid ACL");
        }

        await authorizer.RefreshAsync(request.HttpContext.RequestAborted);
        return RegistryHttp.Json(BodyOf(binding));
    }

    private static async Task<IResult> DeleteAsync(HttpRequest request, RegistryAuthorizer authorizer, RegistryRejections rejections)
    {
        if (request.Query.Count == 0)
        {
            // A typo must not delete everything: name at least one field (principal=User:* and the like for all).
            return Invalid(request, rejections, "Name the ACLs to delete: at least one of " + string.Join(", ", FilterFields));
        }

        if (FilterOf(request, out var reason) is not { } filter)
        {
            return Invalid(request, rejections, reason);
        }

        var outcome = (await authorizer.Acls.DeleteAsync([filter]))[0];
        if (outcome.Error != Grains.KafkaFormats.ErrorCode.None)
        {
            return Invalid(request, rejections, outcome.Message ?? "Invalid ACL filter");
        }

        await authorizer.RefreshAsync(request.HttpContext.RequestAborted);
        return RegistryHttp.Json(outcome.Bindings.Select(BodyOf).ToList());
    }

    private static readonly string[] FilterFields = ["principal", "host", "operation", "subject", "pattern_type", "permission"];

    private static AclBinding? BindingOf(RegistryAclBody body)
    {
        if (!RegistryOperations.TryParse(body.Operation, out var operation)
            || operation.OnSubject() == string.IsNullOrEmpty(body.Subject)
            || !TryPattern(body.PatternType ?? "LITERAL", out var pattern) || pattern is not (AclPatternType.Literal or AclPatternType.Prefixed)
            || !TryPermission(body.Permission ?? "ALLOW", out var permission) || permission == AclPermission.Any)
        {
            return null;
        }

        if ((operation.OnSubject() ? StoredSubject(body.Subject!, pattern) : AclBinding.RegistryName) is not { } subject)
        {
            return null;
        }

        var (type, acl) = operation.Acl();
        return new AclBinding(
            type, subject, operation.OnSubject() ? pattern : AclPatternType.Literal, body.Principal ?? "", body.Host ?? AclBinding.Wildcard, acl, permission);
    }

    /// <summary>
    /// A subject as checks see it: qualified with its context, the default context's written plain (<c>:.:orders</c>
    /// is <c>orders</c>), so that an ACL holds however the subject was written; <c>*</c> stays every subject. A
    /// prefix that names a context must close it (<c>:.ctx:</c>), or it would cover <c>.ctx2</c> too: null if not.
    /// </summary>
    private static string? StoredSubject(string subject, AclPatternType pattern)
    {
        if (subject == AclBinding.Wildcard)
        {
            return subject;
        }

        if (pattern == AclPatternType.Prefixed && QualifiedSubject.NamesContext(subject) && subject.IndexOf(':', 2) < 0)
        {
            return null;
        }

        var qualified = QualifiedSubject.Parse(subject).Qualified;
        return qualified.Length > 0 ? qualified : null;
    }

    private static AclBindingFilter? FilterOf(HttpRequest request, out string reason)
    {
        var query = request.Query;
        reason = "";
        if (query.Keys.FirstOrDefault(k => !FilterFields.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            reason = $"Unknown ACL filter field '{unknown}': the fields are " + string.Join(", ", FilterFields);
            return null;
        }

        string? Given(string name) => query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
        RegistryOperation? operation = null;
        if (Given("operation") is { } named)
        {
            if (!RegistryOperations.TryParse(named, out var parsed))
            {
                reason = $"Unknown operation '{named}'";
                return null;
            }

            operation = parsed;
        }

        if (!TryPattern(Given("pattern_type") ?? "ANY", out var pattern) || !TryPermission(Given("permission") ?? "ANY", out var permission))
        {
            reason = "pattern_type is LITERAL, PREFIXED, MATCH or ANY; permission ALLOW, DENY or ANY";
            return null;
        }

        var (type, acl) = operation is { } op ? op.Acl() : (AclResourceType.Any, AclOperation.Any);
        var subject = Given("subject");
        if (subject is not null && operation is { } global && !global.OnSubject())
        {
            reason = $"{global.Name()} names no subject";
            return null;
        }

        if (subject is not null)
        {
            type = AclResourceType.Subject;
            subject = subject == AclBinding.Wildcard ? subject : QualifiedSubject.Parse(subject).Qualified;
        }

        var name = operation is { } registry && !registry.OnSubject() ? AclBinding.RegistryName : subject;
        return new AclBindingFilter(type, name, pattern, Given("principal"), Given("host"), acl, permission);
    }

    private static RegistryAclBody BodyOf(AclBinding binding)
    {
        var operation = RegistryOperations.Of(binding.ResourceType, binding.Operation);
        var onSubject = binding.ResourceType == AclResourceType.Subject;
        return new RegistryAclBody(
            binding.Principal, binding.Host, operation?.Name() ?? binding.Operation.ToString(),
            onSubject ? binding.ResourceName : null, onSubject ? Upper(binding.PatternType) : null, Upper(binding.Permission));
    }

    /// <summary>Exactly one of the enum's names (not a number, nor a comma list that Enum.TryParse would combine).</summary>
    private static bool TryName<T>(string name, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static bool TryPattern(string name, out AclPatternType pattern) => TryName(name, out pattern) && pattern != AclPatternType.Unknown;

    private static bool TryPermission(string name, out AclPermission permission) => TryName(name, out permission) && permission != AclPermission.Unknown;

    private static string Upper<T>(T value)
        where T : struct, Enum => value.ToString().ToUpperInvariant();

    private static IResult Invalid(HttpRequest request, RegistryRejections rejections, string message)
    {
        rejections.IfRejected(request, 42200, message);
        return RegistryHttp.Error(42200, message);
    }
}
