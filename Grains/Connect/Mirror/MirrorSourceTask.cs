using Confluent.Kafka;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Mirror.Policies;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// Kafka's <c>MirrorSourceTask</c>: reads its assigned source partitions with a Confluent.Kafka consumer that joins no
/// group and commits nothing, starting after the offset stored for each partition (or per <c>auto.offset.reset</c>,
/// earliest by default, where none is), and hands each record over as <see cref="MirrorRecords"/> converts it.
/// librdkafka's consume blocks, so each poll runs it on the thread pool for a short while; cancellation is seen
/// between waits, and the consumer is closed only once no poll is using it.
/// </summary>
public sealed class MirrorSourceTask : SourceTask
{
    /// <summary>The longest a single consume blocks a pool thread; a poll returns within about this after cancellation.</summary>
    private static readonly TimeSpan ConsumeSlice = TimeSpan.FromMilliseconds(250);

    private const int MaxPollRecords = 500;

    // One poll or the close at a time, as Kafka's consumerAccess semaphore.
    private readonly SemaphoreSlim _consumerAccess = new(1, 1);
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private string _sourceAlias = "";
    private IReplicationPolicy _policy = new DefaultReplicationPolicy();
    private TimeSpan _pollTimeout;
    private volatile Error? _fatal;
    private volatile bool _stopping;

    public override string Version => MirrorConnectors.Version;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var config = MirrorSourceConfig.ParseTask(properties);
        _sourceAlias = config.SourceAlias;
        _policy = config.Policy;
        _pollTimeout = config.PollTimeout;
        var settings = config.Clients.SourceConsumer("replication-consumer");
        var partitions = config.AssignedPartitions;
        var stored = await Context.OffsetStorageReader.OffsetsAsync(
            partitions.Select(p => MirrorPartitions.WrapPartition(p, _sourceAlias)), cancellationToken).ConfigureAwait(false);
        var offsets = stored.ToDictionary(
            s => new Api.Connector.TopicPartition((string)s.Partition[MirrorPartitions.TopicKey]!, System.Convert.ToInt32(s.Partition[MirrorPartitions.PartitionKey], System.Globalization.CultureInfo.InvariantCulture)),
            s => MirrorPartitions.UnwrapOffset(s.Offset));

        var start = StartWithoutStoredOffset(settings.GetValueOrDefault("auto.offset.reset"));
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(settings)
            .SetKeyDeserializer(Deserializers.ByteArray)
            .SetValueDeserializer(Deserializers.ByteArray)
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    _fatal = error;
                }
            })
            .Build();

        // Seek past the last record written; a partition without a stored offset starts where auto.offset.reset says.
        // Offsets are given explicitly so that librdkafka never asks a group coordinator for committed ones.
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(
            p.Topic, p.Partition, offsets.TryGetValue(p, out var last) && last >= 0 ? new Offset(last + 1) : start)));
        _consumer = consumer;
    }

    public override async Task<IReadOnlyList<SourceRecord>?> PollAsync(CancellationToken cancellationToken)
    {
        if (_stopping || cancellationToken.IsCancellationRequested || !await _consumerAccess.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            if (_stopping || _consumer is not { } consumer)
            {
                return null;
            }

            if (consumer.Assignment.Count == 0)
            {
                // A task with no partitions (the source has none yet) has nothing to wait for but the next poll.
                await Task.Delay(ConsumeSlice, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var consumed = await Task.Run(() => Consume(consumer, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            return consumed.Count == 0 ? null : consumed;
        }
        finally
        {
            _consumerAccess.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await _consumerAccess.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        var consumer = _consumer;
        _consumer = null;
        if (consumer is not null)
        {
            await Task.Run(
                () =>
                {
                    try
                    {
                        consumer.Close();
                    }
                    catch (KafkaException)
                    {
                        // Closing a consumer of a cluster that went away fails; it is disposed all the same.
                    }
                    finally
                    {
                        consumer.Dispose();
                    }
                },
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Up to <see cref="MaxPollRecords"/> records: waits up to <c>consumer.poll.timeout.ms</c> for the first, in short
    /// slices so that cancellation is seen, then takes what is already fetched without waiting.
    /// </summary>
    private List<SourceRecord> Consume(IConsumer<byte[]?, byte[]?> consumer, CancellationToken cancellationToken)
    {
        var records = new List<SourceRecord>();
        var deadline = DateTime.UtcNow + _pollTimeout;
        try
        {
            while (records.Count < MaxPollRecords && !cancellationToken.IsCancellationRequested && !_stopping)
            {
                ThrowIfFatal();
                var remaining = deadline - DateTime.UtcNow;
                var wait = records.Count > 0 ? TimeSpan.Zero : remaining < ConsumeSlice ? remaining : ConsumeSlice;
                var result = consumer.Consume(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
                if (result is null || result.IsPartitionEOF)
                {
                    if (records.Count > 0 || remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    continue;
                }

                records.Add(MirrorRecords.Convert(result, _sourceAlias, _policy));
            }
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // As Kafka's task: a failed poll is tried again by the next one; what was read so far is kept.
        }
        catch (ConsumeException e)
        {
            throw new ConnectException($"Reading from the {_sourceAlias} cluster failed: {e.Error.Code} {e.Error.Reason}", e);
        }

        return records;
    }

    private void ThrowIfFatal()
    {
        if (_fatal is { } fatal)
        {
            throw new ConnectException($"The consumer of the {_sourceAlias} cluster failed: {fatal.Code} {fatal.Reason}");
        }
    }

    private static Offset StartWithoutStoredOffset(string? autoOffsetReset) => autoOffsetReset?.Trim().ToLowerInvariant() switch
    {
        "latest" or "largest" or "end" => Offset.End,
        "earliest" or "smallest" or "beginning" or null => Offset.Beginning,
        _ => Offset.Unset,
    };
}
