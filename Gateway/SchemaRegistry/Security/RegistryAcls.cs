using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry.Security;

/// <summary>
/// The registry's ACLs applied to its routes: each route says what its caller (the principal HTTP authentication
/// named, from the caller's address) must be allowed, as Confluent's Schema Registry ACL authorizer maps its
/// operations to URIs. A refusal is 403 with error code 40301 and comes before any lookup, so a refused caller does
/// not learn whether a subject exists. Lists leave out the subjects the caller may not see.
/// </summary>
internal static class RegistryAcls
{
    /// <summary>Confluent's error code for a call its authorizer refused.</summary>
    public const int AuthorizationFailed = 40301;

    /// <summary>Refuses the call unless its caller may do <paramref name="operation"/> (to the subject of its route, for a subject's operation).</summary>
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, RegistryOperation operation) =>
        endpoint.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var authorizer = AuthorizerOf(context);
            if (!authorizer.Enabled)
            {
                return await next(invocation);
            }

            var needed = operation;
            QualifiedSubject? subject = needed.OnSubject() ? RouteSubject(context) : null;
            if (subject is { Name.Length: 0 } && ContextLevel(needed) is { } global)
            {
                // /config/:.ctx: and /mode/:.ctx: are a context's own settings (the default context's are the global ones).
                (needed, subject) = (global, null);
            }

            return await AllowsAsync(context, authorizer, needed, subject?.Qualified)
                ? await next(invocation)
                : Refused(needed.Name(), subject is null ? "the Schema Registry" : "subject: " + subject.Value.Qualified);
        });

    /// <summary>
    /// Refuses a schema whose references name a subject the caller may not read (resolved in the registering
    /// subject's context unless qualified): registering or checking it would read that subject, and pin its version.
    /// </summary>
    public static async Task<IResult?> UnreadableReferenceAsync(HttpContext context, string routeSubject, SchemaSubmission submission)
    {
        var authorizer = AuthorizerOf(context);
        if (!authorizer.Enabled || submission.Definition.References.Count == 0)
        {
            return null;
        }

        var parent = RegistryHttp.Qualified(routeSubject).Context;
        foreach (var reference in submission.Definition.References)
        {
            var referenced = QualifiedSubject.InContextOf(reference.Subject, parent).Qualified;
            if (!await AllowsAsync(context, authorizer, RegistryOperation.SubjectRead, referenced))
            {
                return Refused(RegistryOperation.SubjectRead.Name(), "subject: " + referenced);
            }
        }

        return null;
    }

    /// <summary>Refuses the call unless its caller is a super user: the registry's ACLs, contexts' deletion, associations' changes.</summary>
    public static RouteHandlerBuilder RequiresSuperUser(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var authorizer = AuthorizerOf(context);
            return !authorizer.Enabled || authorizer.IsSuperUser(HttpCallers.PrincipalOf(context))
                ? await next(invocation)
                : Refused("ALTER", "the Schema Registry");
        });

    /// <summary>
    /// Confluent's SCHEMA_READ, which no ACL names: a schema by id (or GUID) may be read by a caller who may read one
    /// of the subjects using it. An id no subject uses is refused too, so that ids cannot be probed.
    /// </summary>
    public static RouteHandlerBuilder RequiresSchemaRead(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var authorizer = AuthorizerOf(context);
            if (!authorizer.Enabled || authorizer.IsSuperUser(HttpCallers.PrincipalOf(context)))
            {
                // A super user may read any schema, and learns as without ACLs that an id is not there.
                return await next(invocation);
            }

            var readable = await ReadableAsync(context);
            var subjects = await SubjectsUsingAsync(context);
            if (subjects.Any(readable))
            {
                return await next(invocation);
            }

            var schema = context.GetRouteValue("id") as string ?? context.GetRouteValue("guid") as string ?? "";
            authorizer.Authorize(HttpCallers.PrincipalOf(context), HttpCallers.HostOf(context), RegistryOperation.SubjectRead, subjects.FirstOrDefault() ?? "",
                $"{context.Request.Method} {context.Request.Path}");
            return Refused("SCHEMA_READ", "schema: " + schema);
        });

    /// <summary>Whether the caller may do <paramref name="operation"/> (to <paramref name="subject"/>), logging a denial.</summary>
    public static async Task<bool> AllowsAsync(HttpContext context, RegistryAuthorizer authorizer, RegistryOperation operation, string? subject)
    {
        if (!authorizer.Enabled)
        {
            return true;
        }

        await authorizer.ReadyAsync(context.RequestAborted);
        return authorizer.Authorize(HttpCallers.PrincipalOf(context), HttpCallers.HostOf(context), operation, subject, $"{context.Request.Method} {context.Request.Path}");
    }

    /// <summary>Which subjects the caller may read (SUBJECT_READ), asked quietly: what lists of schemas keep.</summary>
    public static async Task<Func<string, bool>> ReadableAsync(HttpContext context)
    {
        var authorizer = AuthorizerOf(context);
        if (!authorizer.Enabled)
        {
            return _ => true;
        }

        await authorizer.ReadyAsync(context.RequestAborted);
        var (principal, host) = (HttpCallers.PrincipalOf(context), HttpCallers.HostOf(context));
        return subject => authorizer.Authorize(principal, host, RegistryOperation.SubjectRead, subject, loggedAs: null);
    }

    /// <summary>
    /// Which subjects the caller may see listed: all with GLOBAL_SUBJECTS_READ, else those it may read, write or
    /// delete, as Kafka's Metadata lists the topics a principal may describe.
    /// </summary>
    public static async Task<Func<string, bool>> ListableAsync(HttpContext context)
    {
        var authorizer = AuthorizerOf(context);
        if (!authorizer.Enabled)
        {
            return _ => true;
        }

        await authorizer.ReadyAsync(context.RequestAborted);
        var (principal, host) = (HttpCallers.PrincipalOf(context), HttpCallers.HostOf(context));
        return authorizer.Authorize(principal, host, RegistryOperation.GlobalSubjectsRead, null, loggedAs: null)
            ? _ => true
            : subject => authorizer.MayList(principal, host, subject);
    }

    /// <summary>Confluent's 403 for a refused call.</summary>
    public static IResult Refused(string operation, string resource) =>
        RegistryHttp.Error(AuthorizationFailed, $"User is denied operation {operation} on {resource}");

    private static RegistryAuthorizer AuthorizerOf(HttpContext context) => context.RequestServices.GetRequiredService<RegistryAuthorizer>();

    /// <summary>The route's subject as the registry acts on it: with its context (the default context's written plain).</summary>
    private static QualifiedSubject RouteSubject(HttpContext context) =>
        RegistryHttp.Qualified(context.GetRouteValue("subject") as string ?? "");

    /// <summary>What a subject's compatibility operation needs when the route names a whole context.</summary>
    private static RegistryOperation? ContextLevel(RegistryOperation operation) => operation switch
    {
        RegistryOperation.SubjectCompatibilityRead => RegistryOperation.GlobalCompatibilityRead,
        RegistryOperation.SubjectCompatibilityWrite => RegistryOperation.GlobalCompatibilityWrite,
        _ => null,
    };

    /// <summary>The subjects using the schema the route names by id (in the context <c>subject</c> names) or by GUID (in any context).</summary>
    private static async Task<List<string>> SubjectsUsingAsync(HttpContext context)
    {
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        if (context.GetRouteValue("id") is string idText && int.TryParse(idText, out var id))
        {
            var idContext = await RegistryContexts.ForIdAsync(grains, id, context.Request.Query["subject"]);
            return [.. (await grains.SchemaById(id, idContext).GetUsagesAsync()).Select(u => u.Subject)];
        }

        var subjects = new List<string>();
        if (context.GetRouteValue("guid") is string guid)
        {
            foreach (var guidContext in await RegistryContexts.AllAsync(grains))
            {
                if (await grains.SchemaGuid(guid.ToLowerInvariant(), guidContext).GetIdAsync() is { } found)
                {
                    subjects.AddRange((await grains.SchemaById(found, guidContext).GetUsagesAsync()).Select(u => u.Subject));
                }
            }
        }

        return subjects;
    }
}
