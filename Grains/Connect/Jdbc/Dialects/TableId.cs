namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// A table as the database names it (kafka-connect-jdbc's <c>TableId</c>): an optional schema (PostgreSQL's
/// <c>public</c>; SQLite has none) and the table's own name. Topics are named after <see cref="Table"/> alone.
/// </summary>
public sealed record TableId(string? Schema, string Table)
{
    /// <summary>The dotted name users write in <c>table.whitelist</c>: <c>schema.table</c>, or the table alone.</summary>
    public string QualifiedName => Schema is null ? Table : $"{Schema}.{Table}";

    public override string ToString() => QualifiedName;

    /// <summary>
    /// Whether a user's table name names this table: <c>table</c> or <c>schema.table</c>, compared as the database
    /// folds unquoted names (case-insensitively), since users write them either way.
    /// </summary>
    public bool Matches(string name) =>
        string.Equals(name, Table, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, QualifiedName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <c>schema.table</c> or <c>table</c>, the form <see cref="QualifiedName"/> writes.</summary>
    public static TableId Parse(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new TableId(null, name) : new TableId(name[..dot], name[(dot + 1)..]);
    }
}
