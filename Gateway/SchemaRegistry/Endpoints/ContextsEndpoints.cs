using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// Schema contexts: the list (the default <c>.</c> and every context that has had a schema), and deleting an empty one.
/// A context comes into being with its first schema; its subjects are <c>:.ctx:name</c>, or plain names under
/// <c>/contexts/.ctx/</c> (<see cref="ContextPaths"/>).
/// </summary>
internal static class ContextsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/contexts", ListAsync).Requires(RegistryOperation.GlobalSubjectsRead);
        api.MapDelete("/contexts/{context}", DeleteAsync).RequiresSuperUser();
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        var prefix = request.Query["contextPrefix"].ToString();
        var contexts = (await RegistryContexts.AllAsync(grains)).Where(c => c.StartsWith(prefix, StringComparison.Ordinal));
        return RegistryHttp.Json(RegistryHttp.Page(request, contexts));
    }

    /// <summary>
    /// 204 once the context has no subject, soft-deleted ones included (42211 before, decided by the context's grain,
    /// which its registrations pass through); 204 too for one unknown.
    /// </summary>
    private static async Task<IResult> DeleteAsync(string context, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        if (!QualifiedSubject.TryNormalizeContext(RegistryHttp.Subject(context), out var name))
        {
            return RegistryHttp.Error(StatusCodes.Status400BadRequest, $"Context name '{context}' cannot contain a colon");
        }

        if (!await RegistryHttp.Registry(grains, name).DeleteContextAsync())
        {
            rejections.IfRejected(request, RegistryErrors.ContextNotEmpty, name);
            return RegistryHttp.Error(RegistryErrors.ContextNotEmpty, $"The specified context '{QualifiedSubject.ContextPrefix(name)}' is not empty.");
        }

        return Results.NoContent();
    }
}
