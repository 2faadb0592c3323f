using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Dialects;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// One parameter of a sink statement: the Connect schema of its values, the table column it is written into (null
/// when the table has no such column, e.g. a delete against a table the sink did not create) with that column's kind
/// (classified once, not per row), and how a record yields the value.
/// </summary>
public sealed record ColumnBinding(string Column, ConnectSchema Schema, ColumnInfo? Target, SqlTypeKind TargetKind, Func<SinkRecord, object?> Read);

/// <summary>
/// A parameterized statement shape: the SQL and what each parameter binds, in order. Parameters are named
/// <c>@p0..</c>, or unnamed <c>$1..</c> where the dialect prefers positions. Records of the same schemas share one
/// instance, so that the executor prepares it once and reuses it row after row.
/// </summary>
public sealed class SinkStatement(string sql, IReadOnlyList<ColumnBinding> parameters, bool positional, BulkShape? bulk = null)
{
    public string Sql { get; } = positional ? Dialects.DatabaseDialect.ToPositionalParameters(sql) : sql;

    /// <summary>Whether the parameters go unnamed, by position.</summary>
    public bool Positional { get; } = positional;

    public IReadOnlyList<ColumnBinding> Parameters { get; } = parameters;

    /// <summary>What the statement writes, for a bulk write of many rows; null for a delete.</summary>
    public BulkShape? Bulk { get; } = bulk;

    public override string ToString() => Sql;
}

/// <summary>A record ready to write: the statement and the values already converted for the provider.</summary>
public readonly record struct PendingRow(SinkStatement Statement, object[] Values, SinkRecord Record);
