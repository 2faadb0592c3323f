using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// A destination table as the database describes it (kafka-connect-jdbc's <c>TableDefinition</c>): its columns and
/// whether it is a view, which the sink may write to but never alter.
/// </summary>
public sealed class TableDefinition(TableId id, IReadOnlyList<ColumnInfo> columns, bool isView)
{
    public TableId Id { get; } = id;

    public IReadOnlyList<ColumnInfo> Columns { get; } = columns;

    public bool IsView { get; } = isView;

    /// <summary>"Table" or "View", as Confluent's DDL messages start.</summary>
    public string TypeName => IsView ? "View" : "Table";

    /// <summary>The column of that name, or one differing only by case (unquoted names fold), or null.</summary>
    public ColumnInfo? Column(string name) =>
        Columns.FirstOrDefault(c => c.Name == name) ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
