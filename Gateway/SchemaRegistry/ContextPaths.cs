using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Tributary.Gateway.Http;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's context paths: a client whose registry URL is <c>http://host:8081/contexts/.ctx</c> works in context
/// <c>.ctx</c> without naming it. Before routing, <c>/contexts/{ctx}/...</c> becomes the plain path with the context
/// put where the API takes a subject: the segment after <c>subjects</c>, after a leading <c>config</c> or <c>mode</c>
/// (the context's own when none follows), the <c>subject</c> parameter of <c>/schemas/ids/...</c> and the
/// <c>subjectPrefix</c> of <c>/subjects</c> and <c>/schemas</c>, the <c>context</c> of an association's creation or
/// update. A subject that already names a context is kept.
/// </summary>
internal static class ContextPaths
{
    private const string Prefix = "/contexts/";

    public static Task RewriteAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return next();
        }

        var segments = path.Trim('/').Split('/');
        if (segments.Length < 3)
        {
            // GET /contexts/{c} and DELETE /contexts/{c} are the contexts' own routes.
            return next();
        }

        if (!QualifiedSubject.TryNormalizeContext(segments[1], out var name))
        {
            return PortApi.WriteErrorAsync(context, RegistryHttp.ContentType, StatusCodes.Status400BadRequest,
                $"Context name '{segments[1]}' cannot contain a colon");
        }

        var prefix = QualifiedSubject.ContextPrefix(name);
        var rest = segments[2..];
        var subjectNext = false;
        var configOrMode = false;
        for (var i = 0; i < rest.Length; i++)
        {
            if (subjectNext)
            {
                rest[i] = NamesContext(rest[i]) ? rest[i] : prefix + rest[i];
                subjectNext = false;
            }
            else if (rest[i] is "subjects" or "deks" || (i == 0 && rest[i] is "config" or "mode"))
            {
                subjectNext = true;
                configOrMode = i == 0 && rest[i] is "config" or "mode";
            }
        }

        var rewritten = "/" + string.Join('/', rest);
        if (configOrMode && subjectNext && prefix.Length > 0)
        {
            rewritten += "/" + prefix;
        }

        context.Request.Path = new PathString(rewritten);
        context.Request.QueryString = WithContext(context.Request.QueryString, rewritten, prefix, context.Request.Method);
        return next();
    }

    private static QueryString WithContext(QueryString query, string path, string prefix, string method)
    {
        var parameters = QueryHelpers.ParseQuery(query.Value);
        if (path.StartsWith("/schemas/ids", StringComparison.Ordinal))
        {
            var subject = parameters.TryGetValue("subject", out var given) ? given.ToString() : "";
            parameters["subject"] = NamesContext(subject) ? subject : prefix + subject;
        }
        else if (path is "/schemas" or "/subjects")
        {
            var prefixes = parameters.TryGetValue("subjectPrefix", out var given) && given.Count > 0 ? given.ToArray() : [""];
            parameters["subjectPrefix"] = new StringValues(prefixes.Select(p => NamesContext(p ?? "") ? p : prefix + p).ToArray());
        }
        else if (path.StartsWith("/associations", StringComparison.Ordinal) && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)))
        {
            parameters["context"] = prefix.Length > 0 ? prefix : ":.:";
        }
        else
        {
            return query;
        }

        return new QueryBuilder(parameters.SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? "")))).ToQueryString();
    }

    private static bool NamesContext(string subject) =>
        QualifiedSubject.NamesContext(subject) || subject.StartsWith(QualifiedSubject.AnyContext, StringComparison.Ordinal);
}
