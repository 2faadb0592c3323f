using Azure;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Formats;
using Tributary.Grains.Connect.Storage.Partitioner;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Sink;

/// <summary>
/// The storage sinks' task (the HDFS connector's <c>HdfsSinkTask</c> and <c>DataWriter</c>): one
/// <see cref="TopicPartitionWriter"/> per assigned partition, recovered when the partition is opened, after which the
/// consumer is sent to the offset the committed files end at; Kafka's committed offsets only follow the files. A
/// record the partitioner or the format cannot take goes to the errant record reporter (the dead-letter queue) when
/// there is one, and fails the task otherwise. A store failure discards the partition's uncommitted files, pauses
/// it for <c>retry.backoff.ms</c>, then recovers it and reads again from its committed files' end.
/// </summary>
public sealed class StorageSinkTask : SinkTask
{
    private readonly Dictionary<TopicPartition, TopicPartitionWriter> _writers = [];
    private readonly Dictionary<TopicPartition, DateTimeOffset> _failed = [];
    private StorageSinkConfig? _config;
    private IStorage? _storage;
    private IRecordWriterProvider? _format;
    private Partitioner.Partitioner? _partitioner;

    /// <summary>The clock of rotations and back-offs; tests give a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public override string Version => StorageSinkConnector.ConnectorVersion;

    private StorageSinkConfig Config => _config ?? throw new InvalidOperationException("The task has not been started.");

    private ILogger Logger => Context.Logger;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        _config = StorageSinkConfig.Parse(properties);
        _storage = Storages.Create(_config);
        _format = RecordWriterProviders.Create(_config);
        _partitioner = Partitioners.Create(properties);
        Logger.LogInformation("Starting storage sink task writing {Format} files to {Store}", _format.Extension, _storage.Url);
        return Task.CompletedTask;
    }

    public override async Task OpenAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        foreach (var partition in partitions)
        {
            var writer = new TopicPartitionWriter(partition, Config, _storage!, _format!, _partitioner!, Time, Logger);
            _writers[partition] = writer;
            await RecoverAsync(partition, writer, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task PutAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken)
    {
        await RetryFailedAsync(cancellationToken).ConfigureAwait(false);
        // Records come in runs of one partition: its writer is looked up when the partition changes, not per record.
        var partition = default(TopicPartition);
        TopicPartitionWriter? writer = null;
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        // The runner's puts are lists, read by index: an interface's enumerator costs two dispatched calls a record.
        var list = records as List<SinkRecord> ?? [.. records];
        for (var i = 0; i < list.Count; i++)
        {
            var record = list[i];
            if (partition.Topic is null || partition.Partition != (record.KafkaPartition ?? 0) || partition.Topic != record.Topic)
            {
                partition = new TopicPartition(record.Topic, record.KafkaPartition ?? 0);
                writer = _failed.ContainsKey(partition) ? null : _writers.GetValueOrDefault(partition);
            }

            if (writer is null)
            {
                continue; // read again from the committed files' end once the partition is recovered
            }

            try
            {
                await writer.WriteAsync(record, now, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectException e) when (Context.ErrantRecordReporter is { } reporter)
            {
                await reporter.ReportAsync(record, e).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                await FailAsync(partition, writer, e, cancellationToken).ConfigureAwait(false);
                writer = null; // the partition's later records are skipped until it is recovered
            }
        }

        foreach (var (assigned, assignedWriter) in _writers)
        {
            if (_failed.ContainsKey(assigned))
            {
                continue;
            }

            try
            {
                await assignedWriter.RotateIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                await FailAsync(assigned, assignedWriter, e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Only what the committed files hold may be committed to Kafka.</summary>
    public override Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(
        IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken)
    {
        var safe = new Dictionary<TopicPartition, long>();
        foreach (var (partition, writer) in _writers)
        {
            if (writer.CommittedOffset is { } offset)
            {
                safe[partition] = offset;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<TopicPartition, long>>(safe);
    }

    public override async Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        foreach (var partition in partitions)
        {
            if (_writers.Remove(partition, out var writer))
            {
                _failed.Remove(partition);
                try
                {
                    await writer.DiscardAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsStoreFailure(e))
                {
                    Logger.LogWarning(e, "Discarding the uncommitted files of {Partition} failed; its next owner deletes them", partition);
                }

                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var writer in _writers.Values)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        _writers.Clear();
        Logger.LogInformation("Stopped storage sink task");
    }

    private static bool IsStoreFailure(Exception e) => e is IOException or RequestFailedException or UnauthorizedAccessException;

    private async Task RecoverAsync(TopicPartition partition, TopicPartitionWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            var offset = await writer.RecoverAsync(cancellationToken).ConfigureAwait(false);
            Logger.LogInformation("Recovered {Partition}: reading from offset {Offset}", partition, offset);
            Context.Offset(partition, offset);
            _failed.Remove(partition);
            Context.Resume(partition);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Logger.LogError(e, "Recovering {Partition} from {Store} failed; trying again in {Backoff} ms", partition, _storage!.Url, Config.RetryBackoffMs);
            _failed[partition] = Time.GetUtcNow();
            Context.Pause(partition);
        }
    }

    private async Task FailAsync(TopicPartition partition, TopicPartitionWriter writer, Exception error, CancellationToken cancellationToken)
    {
        Logger.LogError(error, "Writing {Partition} to {Store} failed; its uncommitted files are dropped and it is read again from its committed files' end in {Backoff} ms",
            partition, _storage!.Url, Config.RetryBackoffMs);
        _failed[partition] = Time.GetUtcNow();
        Context.Pause(partition);
        try
        {
            await writer.DiscardAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Logger.LogDebug(e, "Discarding the files of {Partition} failed too; recovery deletes them", partition);
        }
    }

    private async Task RetryFailedAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        foreach (var (partition, since) in _failed.ToList())
        {
            if (now - since >= TimeSpan.FromMilliseconds(Config.RetryBackoffMs) && _writers.TryGetValue(partition, out var writer))
            {
                await RecoverAsync(partition, writer, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
