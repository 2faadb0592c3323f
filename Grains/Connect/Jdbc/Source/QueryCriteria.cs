using System.Data.Common;
using System.Text;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// The WHERE and ORDER BY of an incremental query and how a row advances the offset (kafka-connect-jdbc's
/// <c>TimestampIncrementingCriteria</c>): incrementing <c>inc &gt; ?</c>; timestamp <c>ts &gt; ? AND ts &lt; ?</c>;
/// both <c>ts &lt; ? AND ((ts = ? AND inc &gt; ?) OR ts &gt; ?)</c>; ordered by the tracked columns. The upper bound is
/// the database's own current time minus <c>timestamp.delay.interval.ms</c>, so rows of transactions still open are
/// read on a later poll. Several timestamp columns are compared through their COALESCE.
/// </summary>
internal sealed class QueryCriteria(DatabaseDialect dialect, string? incrementingColumn, IReadOnlyList<string> timestampColumns)
{
    public bool HasIncrementing => incrementingColumn is not null;

    public bool HasTimestamp => timestampColumns.Count > 0;

    /// <summary>The column kind timestamps are bound as: with or without time zone.</summary>
    public SqlTypeKind TimestampKind { get; set; } = SqlTypeKind.Timestamp;

    public void AppendWhere(StringBuilder sql)
    {
        var inc = HasIncrementing ? dialect.Quote(incrementingColumn!) : null;
        var ts = HasTimestamp ? dialect.TimestampExpression(Coalesced()) : null;
        string P(string name) => dialect.TimestampExpression("@" + name);
        sql.Append(" WHERE ");
        if (ts is not null && inc is not null)
        {
            sql.Append($"{ts} < {P("end")} AND (({ts} = {P("last")} AND {inc} > @inc) OR {ts} > {P("last")})");
            sql.Append($" ORDER BY {ts}, {inc} ASC");
        }
        else if (inc is not null)
        {
            sql.Append($"{inc} > @inc ORDER BY {inc} ASC");
        }
        else
        {
            sql.Append($"{ts} > {P("last")} AND {ts} < {P("end")} ORDER BY {ts} ASC");
        }
    }

    public void Bind(DbCommand command, SourceOffset offset, DateTime endUtc, TimeZoneInfo zone)
    {
        if (HasIncrementing)
        {
            Add(command, "inc", offset.Incrementing ?? -1L);
        }

        if (HasTimestamp)
        {
            Add(command, "last", dialect.TimestampParameter(offset.Timestamp ?? DateTime.UnixEpoch, TimestampKind, zone));
            Add(command, "end", dialect.TimestampParameter(endUtc, TimestampKind, zone));
        }
    }

    // The tracked columns' places in the open result, found once per query rather than by name on every row.
    private int _incrementingOrdinal = -1;
    private Type? _incrementingType;
    private int[] _timestampOrdinals = [];

    /// <summary>Where the incrementing column is in the result last given to <see cref="Prepare"/>; -1 without one.</summary>
    public int IncrementingOrdinal => _incrementingOrdinal;

    /// <summary>Finds the tracked columns in a result just opened, for <see cref="After"/> to read on each of its rows.</summary>
    public void Prepare(DbDataReader reader)
    {
        if (HasIncrementing)
        {
            _incrementingOrdinal = Ordinal(reader, incrementingColumn!);
            // SQLite's values each carry their own type: those are read as they come.
            _incrementingType = dialect.ValuesHaveTheColumnsType ? reader.GetFieldType(_incrementingOrdinal) : null;
        }

        _timestampOrdinals = [.. timestampColumns.Select(column => Ordinal(reader, column))];
    }

    /// <summary>The incrementing id after <paramref name="reader"/>'s current row (the previous one when the row's is null).</summary>
    public long? IncrementingAfter(DbDataReader reader, long? previous)
    {
        var ordinal = _incrementingOrdinal;
        return reader.IsDBNull(ordinal) ? previous
            : _incrementingType == typeof(int) ? reader.GetInt32(ordinal)
            : _incrementingType == typeof(long) ? reader.GetInt64(ordinal)
            : Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The offset after <paramref name="reader"/>'s current row, in the result last given to <see cref="Prepare"/>.</summary>
    public SourceOffset After(DbDataReader reader, SourceOffset previous, TimeZoneInfo zone)
    {
        var incrementing = HasIncrementing ? IncrementingAfter(reader, previous.Incrementing) : previous.Incrementing;

        var timestamp = previous.Timestamp;
        if (HasTimestamp)
        {
            foreach (var ordinal in _timestampOrdinals)
            {
                if (!reader.IsDBNull(ordinal))
                {
                    var raw = (DateTime)dialect.ReadTemporal(reader, ordinal, TimestampKind)!;
                    timestamp = DateTime.SpecifyKind(Schema.ResultSchema.ToInstant(raw, zone), DateTimeKind.Utc);
                    break;
                }
            }
        }

        return new SourceOffset(incrementing, timestamp);
    }

    private string Coalesced() => timestampColumns.Count == 1
        ? dialect.Quote(timestampColumns[0])
        : "COALESCE(" + string.Join(", ", timestampColumns.Select(dialect.Quote)) + ")";

    private static int Ordinal(DbDataReader reader, string column)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (string.Equals(reader.GetName(i), column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return reader.GetOrdinal(column);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
