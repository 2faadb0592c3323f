namespace Tributary.Grains.Interfaces.Schemas;

/// <summary>
/// A subject with its schema context, as Confluent writes them: <c>:.ctx:name</c> is <c>name</c> in context
/// <c>.ctx</c>; a name without that prefix (or with <c>:.:</c>) is in the default context <c>.</c>. Each context has
/// its own subjects, schema ids, config and mode. An empty name stands for the context itself (<c>/config/:.ctx:</c>).
/// </summary>
public readonly record struct QualifiedSubject(string Context, string Name)
{
    public const string DefaultContext = ".";

    /// <summary>The context whose config and mode apply wherever a context has none of its own; it holds no subjects.</summary>
    public const string GlobalContext = ".__GLOBAL";

    /// <summary>A subject prefix that lists every context's subjects (<c>:*:</c>, then a prefix of their names).</summary>
    public const string AnyContext = ":*:";

    public bool IsDefaultContext => Context == DefaultContext;

    /// <summary>The subject as the registry stores and answers it: the default context's without a prefix.</summary>
    public string Qualified => ContextPrefix(Context) + Name;

    /// <summary>
    /// Whether a subject may be used (for a config or mode, <paramref name="configOrMode"/>), as Confluent checks it: no
    /// control characters, not the reserved names <c>__GLOBAL</c> and <c>__EMPTY</c>, and subjects only outside the
    /// global context. A schema is never registered under an empty name (as with Confluent's
    /// <c>schema.registry.reject.empty.subject</c>); a config or mode with one is its context's.
    /// </summary>
    public static bool IsValid(string subject, bool configOrMode)
    {
        if (subject.Any(char.IsControl))
        {
            return false;
        }

        var qualified = Parse(subject);
        return qualified.Name is not ("__GLOBAL" or "__EMPTY")
            && (configOrMode || (qualified.Context != GlobalContext && qualified.Name.Length > 0));
    }

    /// <summary>Whether the subject named its context itself (then no other context is searched for it).</summary>
    public static bool NamesContext(string subject) => subject.StartsWith(":.", StringComparison.Ordinal);

    public static QualifiedSubject Parse(string subject)
    {
        if (!NamesContext(subject))
        {
            return new QualifiedSubject(DefaultContext, subject);
        }

        var end = subject.IndexOf(':', 2);
        return end < 0
            ? new QualifiedSubject(subject[1..], "")
            : new QualifiedSubject(subject[1..end], subject[(end + 1)..]);
    }

    /// <summary>
    /// A reference's subject as its referrer in <paramref name="parentContext"/> means it: an unqualified name is in the
    /// referrer's context.
    /// </summary>
    public static QualifiedSubject InContextOf(string subject, string parentContext) =>
        NamesContext(subject) ? Parse(subject) : new QualifiedSubject(parentContext, subject);

    /// <summary><c>:.ctx:</c> for a context, nothing for the default one.</summary>
    public static string ContextPrefix(string context) => context == DefaultContext ? "" : ":" + context + ":";

    /// <summary>
    /// A context as a path or query names it (<c>.ctx</c>, <c>ctx</c>, <c>:.ctx:</c>) in its stored form (<c>.ctx</c>);
    /// false for a name with a colon inside, which Confluent refuses.
    /// </summary>
    public static bool TryNormalizeContext(string given, out string context)
    {
        var name = given;
        if (name.StartsWith(':'))
        {
            name = name[1..];
        }

        if (name.EndsWith(':'))
        {
            name = name[..^1];
        }

        context = name.StartsWith('.') ? name : "." + name;
        return !name.Contains(':', StringComparison.Ordinal);
    }
}
