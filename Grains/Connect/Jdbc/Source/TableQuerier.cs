using System.Data.Common;
using System.Text;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Jdbc.Dialects;
using Tributary.Grains.Connect.Jdbc.Schema;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// Reads one table (or the custom query) for a source task (kafka-connect-jdbc's <c>TableQuerier</c>): a query runs
/// when the table is due, its rows are handed out <c>batch.max.rows</c> at a time across polls while the result
/// stays open, and when it is exhausted the table is due again <c>poll.interval.ms</c> later. In bulk mode every
/// query reads the whole table and records carry no offset; in the incremental modes each record carries the offset
/// after its row, so that a restarted task resumes after the last row written.
/// </summary>
internal sealed class TableQuerier : IAsyncDisposable
{
    private readonly DatabaseDialect _dialect;
    private readonly JdbcSourceConfig _config;
    private readonly TableId? _table;
    private readonly QueryCriteria? _criteria;
    private readonly ILogger _logger;
    private DbCommand? _command;
    private DbDataReader? _reader;
    private ResultSchema? _schema;
    private SourceOffset _offset;

    // The row's field that holds the incrementing column, when the row has it as an integer: the id is taken from the
    // row rather than read from the driver a second time.
    private Field? _incrementingField;

    // A poll's list is sized for its rows up to this many, so that it is not grown by doublings; batch.max.rows may be far more than a table holds.
    private const int MaxPresizedRows = 1000;

    public TableQuerier(
        DatabaseDialect dialect, JdbcSourceConfig config, TableId? table, QueryCriteria? criteria, SourceOffset offset,
        IReadOnlyDictionary<string, object?> partition, ILogger logger)
    {
        _dialect = dialect;
        _config = config;
        _table = table;
        _criteria = criteria;
        _offset = offset;
        _logger = logger;
        Partition = partition;
        Topic = table is null ? config.Prefix : config.Prefix + table.Table;
    }

    public IReadOnlyDictionary<string, object?> Partition { get; }

    public string Topic { get; }

    /// <summary>When the next query may run; a querier with an open result is due at once.</summary>
    public DateTime NextPollUtc { get; private set; } = DateTime.MinValue;

    public bool IsQuerying => _reader is not null;

    /// <summary>Transient query errors in a row, against <c>query.retry.attempts</c>.</summary>
    public int Failures { get; set; }

    public string Description => _table?.QualifiedName ?? "query";

    /// <summary>The table's columns' declared types by name (their precision where the driver reports none); null in query mode.</summary>
    public IReadOnlyDictionary<string, string>? DeclaredTypes { get; set; }

    /// <summary>Runs the query when no result is open.</summary>
    public async Task StartQueryAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_reader is not null)
        {
            return;
        }

        var sql = new StringBuilder(_table is null ? _config.QueryText : _dialect.SelectAllSql(_table));
        _command = connection.CreateCommand();
        if (_criteria is not null)
        {
            _criteria.AppendWhere(sql);
            var end = _criteria.HasTimestamp
                ? (await _dialect.CurrentTimeUtcAsync(connection, cancellationToken).ConfigureAwait(false)) - _config.TimestampDelay
                : DateTime.UtcNow;
            _criteria.Bind(_command, _offset, end, _config.Connection.TimeZone);
        }

        if (_config.Suffix.Length > 0)
        {
            sql.Append(' ').Append(_config.Suffix);
        }

        _command.CommandText = sql.ToString();
        _reader = await _command.ExecuteReaderAsync(_dialect.QueryBehavior, cancellationToken).ConfigureAwait(false);
        _criteria?.Prepare(_reader);
        var signature = ResultSchema.SignatureOf(_reader);
        if (_schema?.Signature != signature)
        {
            _schema = ResultSchema.Build(
                _table?.Table, _reader.GetColumnSchema(), signature, _dialect, _config.NumericMapping, _config.Connection.TimeZone, _logger,
                DeclaredTypes);
        }

        _incrementingField = _criteria is { HasIncrementing: true } ? _schema.IntegerFieldOf(_criteria.IncrementingOrdinal) : null;
    }

    /// <summary>Up to <paramref name="maxRows"/> records from the open result; closes it and schedules the next query once it is exhausted.</summary>
    public async Task<List<SourceRecord>> ReadAsync(int maxRows, CancellationToken cancellationToken)
    {
        var records = new List<SourceRecord>(Math.Min(maxRows, MaxPresizedRows));
        var incrementingOnly = _criteria is { HasIncrementing: true, HasTimestamp: false } && _offset.Timestamp is null;
        var incrementing = _offset.Incrementing;
        while (records.Count < maxRows)
        {
            if (!await _reader!.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await ResetAsync(DateTime.UtcNow + _config.PollInterval).ConfigureAwait(false);
                break;
            }

            var value = _schema!.Read(_reader);
            IReadOnlyDictionary<string, object?>? offset = null;
            if (incrementingOnly)
            {
                // The offset map alone for each row; the querier's own offset once per poll, below.
                incrementing = _incrementingField is { } field ? IdOf(value.GetWithoutDefault(field), incrementing) : _criteria!.IncrementingAfter(_reader, incrementing);
                offset = incrementing is { } id ? new IncrementingOffsetMap(id) : SourceOffset.Empty.ToMap();
            }
            else if (_criteria is not null)
            {
                _offset = _criteria.After(_reader, _offset, _config.Connection.TimeZone);
                offset = _offset.ToMap();
            }

            records.Add(new SourceRecord(Partition, offset, Topic, _schema.Schema, value));
        }

        if (incrementingOnly && incrementing != _offset.Incrementing)
        {
            _offset = _offset with { Incrementing = incrementing };
        }

        return records;
    }

    private static long? IdOf(object? value, long? previous) => value switch
    {
        null => previous,
        int id => id,
        long id => id,
        short id => id,
        sbyte id => id,
        _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Closes any open result; the next query runs at <paramref name="nextPollUtc"/>.</summary>
    public async Task ResetAsync(DateTime nextPollUtc)
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync().ConfigureAwait(false);
            _reader = null;
        }

        if (_command is not null)
        {
            await _command.DisposeAsync().ConfigureAwait(false);
            _command = null;
        }

        NextPollUtc = nextPollUtc;
    }

    public async ValueTask DisposeAsync() => await ResetAsync(DateTime.MaxValue).ConfigureAwait(false);
}
