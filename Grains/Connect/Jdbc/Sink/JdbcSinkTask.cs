using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Connection;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Confluent's <c>JdbcSinkTask</c>, with one Put written while the next is bound. A Put's records are validated and
/// bound into statements, then the previous Put's write (one transaction, or one statement on its own) must have
/// committed before this one's starts; the write runs on while the runtime converts and hands the next Put, and
/// <see cref="FlushAsync"/> waits for it before offsets are committed. On PostgreSQL, binding, conversion and the
/// runtime's work between Puts no longer wait for the server (where a sink spent a third of its time with both cores
/// idle); with an in-process database (SQLite) the write is done when it starts, and the Put ends as it did. A
/// database error rolls that write back and, while <c>max.retries</c> lasts, the Put that finds it asks the runtime to
/// hand that Put's records again after <c>retry.backoff.ms</c> (<see cref="RetriableException"/>), and then writes the
/// refused records first; the retries start over after every successful write. A flush that finds a refused write retries it itself, as often and
/// as far apart. When the retries are exhausted the task fails, or, with an errant record reporter, the records are
/// written one by one and those the database refuses are reported. A record that cannot be mapped to a row is
/// reported at once, or fails the task without a reporter.
/// </summary>
public sealed class JdbcSinkTask : SinkTask
{
    private JdbcSinkConfig? _config;
    private JdbcDbWriter? _writer;
    private int _remainingRetries;
    private PendingWrite? _writing;
    private IReadOnlyCollection<SinkRecord>? _refused;

    public override string Version => JdbcConnectors.Version;

    private JdbcSinkConfig Config => _config ?? throw new InvalidOperationException("The task has not been started.");

    private JdbcDbWriter Writer => _writer ?? throw new InvalidOperationException("The task has not been started.");

    private ILogger Logger => Context.Logger;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        Logger.LogInformation("Starting JDBC Sink task");
        _config = JdbcSinkConfig.Parse(properties);
        _remainingRetries = _config.MaxRetries;
        var connector = new DatabaseConnector(_config.Connection, Logger);
        _writer = new JdbcDbWriter(_config, connector, Logger, OnUnwritableAsync);
        Logger.LogInformation("Initializing writer using SQL dialect: {Dialect}", _config.Connection.Dialect.Name);
        await _writer.ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task PutAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken)
    {
        await WriteRefusedAsync(cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var first = records.First();
        Logger.LogDebug(
            "Received {Count} records. First record kafka coordinates:({Topic}-{Partition}-{Offset}). Writing them to the database...",
            records.Count, first.Topic, first.KafkaPartition, first.KafkaOffset);
        BoundWrite bound;
        try
        {
            bound = await Writer.BindAsync(records, SettleAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsWriteFailure(e) && e is not ConnectException)
        {
            // Reading or changing a table failed. Binding reaches the database only once the earlier write is settled,
            // so nothing is in progress; that write's own failure (a ConnectException) is already handled.
            await Writer.ResetAsync().ConfigureAwait(false);
            await RetryOrFailAsync(records, e, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
        // Not the Put's token: a stop lets the write finish, and the flush before it commits the write's offsets.
        _writing = new PendingWrite(records, Writer.ExecuteAsync(bound, CancellationToken.None));
        if (_writing.Write.IsCompleted)
        {
            // Done already (SQLite always is): a failure is this Put's own, and the runtime hands these same records again.
            await SettleAsync(refusedGoFirst: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the write in progress and writes again what the database refused, retrying here while <c>max.retries</c> lasts.</summary>
    public override async Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await SettleAsync(cancellationToken).ConfigureAwait(false);
                await WriteRefusedAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RetriableException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Config.RetryBackoffMs), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Logger.LogInformation("Stopping task");
        if (_writing is { } writing)
        {
            // Offsets past a write still in progress are committed only by a flush that saw it through. One still
            // running when the stop's time is up is ended with the connection, rolled back by the server.
            _writing = null;
            await writing.Write.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsWriteFailure(Exception e) =>
        e is DbException || (JdbcDbWriter.IsUnwritable(e) && e is not UnwritableRecordException);

    private Task SettleAsync(CancellationToken cancellationToken) => SettleAsync(refusedGoFirst: true, cancellationToken);

    /// <summary>
    /// Waits for the write in progress. When the database refused it, the retry or failure goes as for a Put that
    /// failed; with <paramref name="refusedGoFirst"/> (the write of an earlier Put than the one the runtime will hand
    /// again), its records are kept to be written before anything else.
    /// </summary>
    private async Task SettleAsync(bool refusedGoFirst, CancellationToken cancellationToken)
    {
        if (_writing is not { } writing)
        {
            return;
        }

        try
        {
            await writing.Write.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            _writing = null;
            await Writer.ResetAsync().ConfigureAwait(false);
            await RefusedAsync(writing.Records, e, keep: refusedGoFirst, cancellationToken).ConfigureAwait(false);
            return;
        }

        _writing = null;
        Logger.LogDebug("Successfully wrote {Count} records.", writing.Records.Count);
        _remainingRetries = Config.MaxRetries;
    }

    /// <summary>Writes the records of a refused write again, at once; a failure goes as for a Put that failed.</summary>
    private async Task WriteRefusedAsync(CancellationToken cancellationToken)
    {
        if (_refused is not { } refused)
        {
            return;
        }

        try
        {
            await Writer.WriteAsync(refused, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            await Writer.ResetAsync().ConfigureAwait(false);
            await RefusedAsync(refused, e, keep: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        _refused = null;
        Logger.LogDebug("Successfully wrote {Count} records.", refused.Count);
        _remainingRetries = Config.MaxRetries;
    }

    // Only a retry keeps the records: once they are reported one by one, or the task fails, nothing is left to write.
    private async Task RefusedAsync(IReadOnlyCollection<SinkRecord> records, Exception error, bool keep, CancellationToken cancellationToken)
    {
        _refused = keep ? records : null;
        try
        {
            await RetryOrFailAsync(records, error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RetriableException)
        {
            _refused = null;
            throw;
        }

        _refused = null;
    }

    private async Task RetryOrFailAsync(IReadOnlyCollection<SinkRecord> records, Exception error, CancellationToken cancellationToken)
    {
        var config = Config;
        var described = SensitiveText.Describe(error, config);
        Logger.LogWarning("Write of {Count} records failed, remainingRetries={RemainingRetries}: {Error}", records.Count, _remainingRetries, described);
        if (_remainingRetries > 0)
        {
            _remainingRetries--;
            Context.Timeout(config.RetryBackoffMs);
            throw config.TrimSensitiveLog ? new RetriableException(described) : new RetriableException(described, error);
        }

        if (Context.ErrantRecordReporter is null)
        {
            Logger.LogError("Failing task after exhausting retries; encountered an exception on last write attempt: {Error}", described);
            var message = $"Failing task after exhausting {config.MaxRetries} retries: {described}";
            throw config.TrimSensitiveLog ? new ConnectException(message) : new ConnectException(message, error);
        }

        await UnrollAndRetryAsync(records, cancellationToken).ConfigureAwait(false);
        _remainingRetries = config.MaxRetries;
    }

    // Each record alone, in its own transaction: those the database still refuses are the errant ones.
    private async Task UnrollAndRetryAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken)
    {
        Logger.LogWarning("Retrying write operation for {Count} records one by one.", records.Count);
        foreach (var record in records)
        {
            try
            {
                await Writer.WriteAsync([record], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                await Writer.ResetAsync().ConfigureAwait(false);
                await OnUnwritableAsync(record, e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task OnUnwritableAsync(SinkRecord record, Exception error, CancellationToken cancellationToken)
    {
        var config = Config;
        var reporter = Context.ErrantRecordReporter;
        var described = SensitiveText.Describe(error, config);
        if (reporter is null)
        {
            var message = error is ConnectException && !config.TrimSensitiveLog
                ? error.Message
                : string.Create(CultureInfo.InvariantCulture,
                    $"Cannot write the record at (topic='{record.Topic}',partition={record.KafkaPartition},offset={record.KafkaOffset}): {described}");
            throw new UnwritableRecordException(message, config.TrimSensitiveLog ? null : error);
        }

        Logger.LogWarning(
            "Reporting the record at (topic='{Topic}',partition={Partition},offset={Offset}) as errant: {Error}",
            record.Topic, record.KafkaPartition, record.KafkaOffset, described);
        await reporter.ReportAsync(record, SensitiveText.Redact(error, config)).ConfigureAwait(false);
    }

    private sealed record PendingWrite(IReadOnlyCollection<SinkRecord> Records, Task Write);
}
