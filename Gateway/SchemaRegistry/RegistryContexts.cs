using Microsoft.Extensions.Primitives;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// What reads across schema contexts share, as Confluent's registry has it: the list of contexts, subjects by a prefix
/// that may name a context (or <c>:*:</c>, every one), and the search of the other contexts for an unqualified subject
/// or schema id the default context does not have (so that a client set up without a context still finds them).
/// </summary>
internal static class RegistryContexts
{
    /// <summary>Every context by name, the default one (<c>.</c>) first, then the others in order.</summary>
    public static async Task<List<string>> AllAsync(IGrainFactory grains) =>
        [QualifiedSubject.DefaultContext, .. await RegistryHttp.Registry(grains).GetContextsAsync()];

    /// <summary>
    /// The subjects a <c>subjectPrefix</c> names, in order: with <c>:*:</c> the rest is a prefix of names in every
    /// context; otherwise the prefix is a qualified one and names its own context (the default one when unqualified).
    /// The registry's lists may name a subject a crash left without versions: each is checked with its grain.
    /// </summary>
    public static async Task<List<string>> SubjectsAsync(IGrainFactory grains, string prefix, bool deleted, bool deletedOnly)
    {
        IEnumerable<string> contexts;
        Func<string, bool> matches;
        if (prefix.StartsWith(QualifiedSubject.AnyContext, StringComparison.Ordinal))
        {
            var namePrefix = prefix[QualifiedSubject.AnyContext.Length..];
            contexts = await AllAsync(grains);
            matches = subject => QualifiedSubject.Parse(subject).Name.StartsWith(namePrefix, StringComparison.Ordinal);
        }
        else
        {
            var qualified = QualifiedSubject.Parse(prefix);
            var qualifiedPrefix = qualified.Qualified;
            contexts = [qualified.Context];
            matches = subject => subject.StartsWith(qualifiedPrefix, StringComparison.Ordinal);
        }

        var listed = await Task.WhenAll(contexts.Select(context => RegistryHttp.Registry(grains, context).GetSubjectsAsync()));
        var candidates = listed.SelectMany(subjects => subjects).Where(s => matches(s.Subject)).Select(async s =>
        {
            var grain = grains.GetGrain<ISchemaSubjectGrain>(s.Subject);
            var live = (await grain.GetVersionsAsync(includeDeleted: false, deletedOnly: false)).ErrorCode == RegistryErrors.None;
            var any = live || (await grain.GetVersionsAsync(includeDeleted: true, deletedOnly: false)).Value is { Count: > 0 };
            return (s.Subject, Listed: deletedOnly ? any && !live : deleted ? any : live);
        });
        return (await Task.WhenAll(candidates)).Where(s => s.Listed).Select(s => s.Subject).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A call on a subject's grain; for an unqualified subject the default context does not have, the same call on that
    /// name in each other context where the caller <paramref name="mayRead"/> it, the first that has it answering.
    /// </summary>
    public static async Task<RegistryResult<T>> InAnyContextAsync<T>(
        IGrainFactory grains, string routeSubject, Func<string, bool> mayRead, Func<ISchemaSubjectGrain, Task<RegistryResult<T>>> call)
    {
        var subject = RegistryHttp.Qualified(routeSubject);
        var result = await call(grains.SchemaSubject(subject));
        if (result.ErrorCode is not (RegistryErrors.SubjectNotFound or RegistryErrors.VersionNotFound or RegistryErrors.SchemaNotFound)
            || QualifiedSubject.NamesContext(RegistryHttp.Subject(routeSubject)))
        {
            return result;
        }

        foreach (var context in await RegistryHttp.Registry(grains).GetContextsAsync())
        {
            var other = new QualifiedSubject(context, subject.Name);
            if (!mayRead(other.Qualified))
            {
                continue;
            }

            var found = await call(grains.SchemaSubject(other));
            if (found.ErrorCode == RegistryErrors.None)
            {
                return found;
            }
        }

        return result;
    }

    /// <summary>
    /// The context in which <c>/schemas/ids/{id}</c> looks the id up: the one its <c>subject</c> parameter names (the
    /// default one without); for an unqualified subject that does not use the id in the default context, the first
    /// other context where that name uses it.
    /// </summary>
    public static async Task<string> ForIdAsync(IGrainFactory grains, int id, StringValues subjectParameter)
    {
        var given = subjectParameter.ToString();
        var subject = QualifiedSubject.Parse(given);
        if (QualifiedSubject.NamesContext(given) || subject.Name.Length == 0 || await UsesAsync(grains, id, subject))
        {
            return subject.Context;
        }

        foreach (var context in await RegistryHttp.Registry(grains).GetContextsAsync())
        {
            if (await UsesAsync(grains, id, new QualifiedSubject(context, subject.Name)))
            {
                return context;
            }
        }

        return QualifiedSubject.DefaultContext;
    }

    private static async Task<bool> UsesAsync(IGrainFactory grains, int id, QualifiedSubject subject) =>
        (await grains.SchemaById(id, subject.Context).GetUsagesAsync()).Any(u => u.Subject == subject.Qualified);
}
