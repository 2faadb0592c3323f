using System.Collections.Frozen;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// The source partitions offsets are stored under (kafka-connect-jdbc's <c>OffsetProtocols</c>): protocol 1,
/// <c>{"protocol": "1", "table": "schema.table"}</c>, names a table fully; the older <c>{"table": "table"}</c> is still
/// read when a table has no protocol-1 offset, and a custom query is <c>{"query": "query"}</c>.
/// </summary>
public static class JdbcSourcePartitions
{
    /// <summary>A table's partition, frozen: every record of the table carries it, and the runtime serializes a map that cannot change once.</summary>
    public static IReadOnlyDictionary<string, object?> ForTable(TableId table) =>
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["protocol"] = "1", ["table"] = table.QualifiedName }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, object?> LegacyForTable(TableId table) =>
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["table"] = table.Table };
}
