using System.Data.Common;
using System.Text.Json;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Jdbc.Connection;
using Tributary.Grains.Connect.Jdbc.Dialects;
using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// Kafka Connect's JDBC source task (kafka-connect-jdbc's <c>JdbcSourceTask</c>): reads its share of the tables (or
/// the custom query) over one connection. Each poll serves the table whose turn is earliest, waiting for it when
/// none is due; a table with an open result is served until it is exhausted. Offsets are read back at start, so a
/// task restarted or moved to another silo resumes after the last row whose record was written.
/// </summary>
public sealed class JdbcSourceTask : SourceTask
{
    private readonly List<TableQuerier> _queriers = [];
    private JdbcSourceConfig? _config;
    private DatabaseConnector? _connector;
    private DbConnection? _connection;

    public override string Version => JdbcConnectors.Version;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        _config = JdbcSourceConfig.Parse(properties);
        _connector = new DatabaseConnector(_config.Connection, Context.Logger);
        _connection = await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        var dialect = _config.Connection.Dialect;
        if (_config.IsQueryMode)
        {
            var partition = new Dictionary<string, object?> { ["query"] = "query" };
            var criteria = Criteria(_config.IncrementingColumn, null);
            var offset = await StoredOffsetAsync([partition], cancellationToken).ConfigureAwait(false);
            _queriers.Add(new TableQuerier(dialect, _config, null, criteria, offset, partition, Context.Logger));
            return;
        }

        var tables = TablesOf(properties);
        if (tables.Count == 0)
        {
            throw new ConnectException("The task has no tables to read: its configuration lists none in 'tables'.");
        }

        foreach (var table in tables)
        {
            var columns = await dialect.DescribeTableAsync(_connection, table, cancellationToken).ConfigureAwait(false);
            var criteria = TableCriteria(dialect, table, columns);
            var partition = JdbcSourcePartitions.ForTable(table);
            var offset = await StoredOffsetAsync([partition, JdbcSourcePartitions.LegacyForTable(table)], cancellationToken).ConfigureAwait(false);
            if (criteria?.HasTimestamp == true && offset.Timestamp is null && _config.TimestampInitialMs is { } initial)
            {
                var start = initial == JdbcSourceConfig.TimestampInitialCurrent
                    ? await dialect.CurrentTimeUtcAsync(_connection, cancellationToken).ConfigureAwait(false)
                    : DateTime.UnixEpoch.AddMilliseconds(initial);
                offset = offset with { Timestamp = DateTime.SpecifyKind(start, DateTimeKind.Utc) };
            }

            _queriers.Add(new TableQuerier(dialect, _config, table, criteria, offset, partition, Context.Logger)
            {
                DeclaredTypes = columns.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().TypeName, StringComparer.Ordinal),
            });
        }
    }

    public override async Task<IReadOnlyList<SourceRecord>?> PollAsync(CancellationToken cancellationToken)
    {
        var config = _config ?? throw new InvalidOperationException("The task has not been started.");
        while (!cancellationToken.IsCancellationRequested)
        {
            var querier = _queriers.FirstOrDefault(q => q.IsQuerying) ?? _queriers.MinBy(q => q.NextPollUtc)!;
            var wait = querier.NextPollUtc - DateTime.UtcNow;
            if (!querier.IsQuerying && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await querier.StartQueryAsync(_connection!, cancellationToken).ConfigureAwait(false);
                var records = await querier.ReadAsync(config.MaxRows, cancellationToken).ConfigureAwait(false);
                querier.Failures = 0;
                if (records.Count > 0)
                {
                    return records;
                }
            }
            catch (DbException e) when (!e.IsTransient || (config.QueryRetries >= 0 && querier.Failures >= config.QueryRetries))
            {
                // kafka-connect-jdbc fails the task on an error that cannot pass (SQLNonTransientException: a bad query,
                // a dropped column) and when query.retry.attempts are used up; its trace names the table and the cause.
                await querier.ResetAsync(DateTime.MaxValue).ConfigureAwait(false);
                throw new ConnectException($"Failed to run query for table {querier.Description}: {e.Message}", e);
            }
            catch (DbException e)
            {
                // Otherwise it logs, closes the result and tries the table again at its next turn; a connection that
                // broke is opened again (with connection.attempts) before that.
                querier.Failures++;
                Context.Logger.LogError(e, "Failed to run query for table {Table}; it is tried again in {Interval} ms", querier.Description,
                    config.PollInterval.TotalMilliseconds);
                await querier.ResetAsync(DateTime.UtcNow + config.PollInterval).ConfigureAwait(false);
                await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
        }

        return null;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var querier in _queriers)
        {
            await querier.DisposeAsync().ConfigureAwait(false);
        }

        _queriers.Clear();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    internal static IReadOnlyList<TableId> TablesOf(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue(JdbcSourceConfig.Tables, out var json) && json.Length > 0
            ? [.. JsonSerializer.Deserialize<string[]>(json)!.Select(TableId.Parse)]
            : [];

    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connection = await _connector!.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private QueryCriteria? Criteria(string incrementing, IReadOnlyList<string>? timestamps)
    {
        var config = _config!;
        if (config.ModeName == "bulk")
        {
            return null;
        }

        return new QueryCriteria(
            config.Connection.Dialect, config.UsesIncrementing ? incrementing : null, config.UsesTimestamp ? timestamps ?? config.TimestampColumns : []);
    }

    /// <summary>
    /// The criteria of a table in an incremental mode, after checking its tracked columns as kafka-connect-jdbc does:
    /// the incrementing column found (or the table's auto-increment column when none is named), and with
    /// <c>validate.non.null</c> neither it nor every timestamp column nullable.
    /// </summary>
    private QueryCriteria? TableCriteria(DatabaseDialect dialect, TableId table, IReadOnlyList<ColumnInfo> columns)
    {
        var config = _config!;
        if (config.ModeName == "bulk")
        {
            return null;
        }

        ColumnInfo? Find(string name) =>
            columns.FirstOrDefault(c => c.Name == name) ?? columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

        var incrementing = config.IncrementingColumn;
        if (config.UsesIncrementing)
        {
            var column = incrementing.Length == 0
                ? columns.FirstOrDefault(c => c.AutoIncrement)
                  ?? throw new ConnectException($"Cannot make incremental queries using incrementing column: no auto-increment column found in {table} and incrementing.column.name is empty.")
                : Find(incrementing) ?? throw new ConnectException($"Incrementing column {incrementing} not found in {table}");
            incrementing = column.Name;
            if (config.ValidateNonNullColumns && column.Nullable)
            {
                throw new ConnectException($"Cannot make incremental queries using incrementing column {column.Name} on {table} because this column is nullable.");
            }
        }

        var timestamps = new List<string>();
        var kind = SqlTypeKind.Timestamp;
        if (config.UsesTimestamp)
        {
            foreach (var name in config.TimestampColumns)
            {
                var column = Find(name) ?? throw new ConnectException($"Timestamp column {name} not found in {table}");
                timestamps.Add(column.Name);
            }

            var first = Find(timestamps[0])!;
            kind = dialect.Classify(first.TypeName) == SqlTypeKind.TimestampWithTimeZone ? SqlTypeKind.TimestampWithTimeZone : SqlTypeKind.Timestamp;
            if (config.ValidateNonNullColumns && timestamps.All(t => Find(t)!.Nullable))
            {
                throw new ConnectException(
                    $"Cannot make incremental queries using timestamp columns [{string.Join(", ", timestamps)}] on {table} because all of these columns are nullable.");
            }
        }

        var criteria = Criteria(incrementing, timestamps)!;
        criteria.TimestampKind = kind;
        return criteria;
    }

    private async Task<SourceOffset> StoredOffsetAsync(IReadOnlyList<IReadOnlyDictionary<string, object?>> partitions, CancellationToken cancellationToken)
    {
        // The first partition is the current form; later ones are older forms read when the current one has nothing.
        foreach (var partition in partitions)
        {
            var stored = await Context.OffsetStorageReader.OffsetAsync(partition, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                return SourceOffset.FromMap(stored);
            }
        }

        return SourceOffset.Empty;
    }
}
