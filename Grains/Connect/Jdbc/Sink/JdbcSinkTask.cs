using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Connection;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Confluent's <c>JdbcSinkTask</c>: every Put is written and committed before it returns (so
/// <see cref="SinkTask.FlushAsync"/> has nothing left to do). A database error rolls the Put back and, while
/// <c>max.retries</c> lasts, asks the runtime to hand the same records again after <c>retry.backoff.ms</c>
/// (<see cref="RetriableException"/>); the retries start over after every successful Put. When they are exhausted the
/// task fails, or, with an errant record reporter, the records are written one by one and those the database refuses
/// are reported. A record that cannot be mapped to a row is reported at once, or fails the task without a reporter.
/// </summary>
public sealed class JdbcSinkTask : SinkTask
{
    private JdbcSinkConfig? _config;
    private JdbcDbWriter? _writer;
    private int _remainingRetries;

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
        if (records.Count == 0)
        {
            return;
        }

        var first = records.First();
        Logger.LogDebug(
            "Received {Count} records. First record kafka coordinates:({Topic}-{Partition}-{Offset}). Writing them to the database...",
            records.Count, first.Topic, first.KafkaPartition, first.KafkaOffset);
        try
        {
            await Writer.WriteAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException || (JdbcDbWriter.IsUnwritable(e) && e is not UnwritableRecordException))
        {
            await Writer.ResetAsync().ConfigureAwait(false);
            await RetryOrFailAsync(records, e, cancellationToken).ConfigureAwait(false);
            return;
        }

        Logger.LogDebug("Successfully wrote {Count} records.", records.Count);
        _remainingRetries = Config.MaxRetries;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Logger.LogInformation("Stopping task");
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
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
            catch (Exception e) when (e is DbException || (JdbcDbWriter.IsUnwritable(e) && e is not UnwritableRecordException))
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
}
