using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
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
        if (FilterOf(request) is not { } filter)
        {
            return Invalid(request, rejections, "Invalid ACL filter: unknown operation, pattern_type or permission");
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
                + ", a SUBJECT_ operation names a subject and a GLOBAL_ one none, pattern_type is LITERAL or PREFIXED, permission ALLOW or DENY");
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
        if (FilterOf(request) is not { } filter)
        {
            return Invalid(request, rejections, "Invalid ACL filter: unknown operation, pattern_type or permission");
        }

        var outcome = (await authorizer.Acls.DeleteAsync([filter]))[0];
        if (outcome.Error != Grains.KafkaFormats.ErrorCode.None)
        {
            return Invalid(request, rejections, outcome.Message ?? "Invalid ACL filter");
        }

        await authorizer.RefreshAsync(request.HttpContext.RequestAborted);
        return RegistryHttp.Json(outcome.Bindings.Select(BodyOf).ToList());
    }

    private static AclBinding? BindingOf(RegistryAclBody body)
    {
        if (!RegistryOperations.TryParse(body.Operation, out var operation)
            || operation.OnSubject() == string.IsNullOrEmpty(body.Subject)
            || !TryPattern(body.PatternType ?? "LITERAL", out var pattern) || pattern is not (AclPatternType.Literal or AclPatternType.Prefixed)
            || !TryPermission(body.Permission ?? "ALLOW", out var permission) || permission == AclPermission.Any)
        {
            return null;
        }

        var (type, acl) = operation.Acl();
        return new AclBinding(
            type, operation.OnSubject() ? body.Subject! : AclBinding.RegistryName, operation.OnSubject() ? pattern : AclPatternType.Literal,
            body.Principal ?? "", body.Host ?? AclBinding.Wildcard, acl, permission);
    }

    private static AclBindingFilter? FilterOf(HttpRequest request)
    {
        var query = request.Query;
        string? Given(string name) => query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
        RegistryOperation? operation = null;
        if (Given("operation") is { } named)
        {
            if (!RegistryOperations.TryParse(named, out var parsed))
            {
                return null;
            }

            operation = parsed;
        }

        if (!TryPattern(Given("pattern_type") ?? "ANY", out var pattern) || !TryPermission(Given("permission") ?? "ANY", out var permission))
        {
            return null;
        }

        var (type, acl) = operation is { } op ? op.Acl() : (AclResourceType.Any, AclOperation.Any);
        var subject = Given("subject");
        var name = operation is { } global && !global.OnSubject() ? AclBinding.RegistryName : subject;
        if (subject is not null && operation is null)
        {
            type = AclResourceType.Subject;
        }

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

    private static bool TryPattern(string name, out AclPatternType pattern) =>
        Enum.TryParse(name, ignoreCase: true, out pattern) && pattern != AclPatternType.Unknown && !int.TryParse(name, out _);

    private static bool TryPermission(string name, out AclPermission permission) =>
        Enum.TryParse(name, ignoreCase: true, out permission) && permission != AclPermission.Unknown && !int.TryParse(name, out _);

    private static string Upper<T>(T value)
        where T : struct, Enum => value.ToString().ToUpperInvariant();

    private static IResult Invalid(HttpRequest request, RegistryRejections rejections, string message)
    {
        rejections.IfRejected(request, 42200, message);
        return RegistryHttp.Error(42200, message);
    }
}
