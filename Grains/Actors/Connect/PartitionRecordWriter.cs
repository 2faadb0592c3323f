using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// Writes a source task's records straight to the partition grains (no Kafka client, no TCP round trip), acks=all, one
/// batch per partition per poll (several when they pass 512 KiB or the topic's limit), partitioned as Kafka's default
/// partitioner does (murmur2 of the key; records without key or partition go to one partition per poll, in turn). A topic that does not exist is created with the connector's
/// topic creation settings (KIP-158) when it has them, else with the broker's defaults when the broker's
/// <c>auto.create.topics.enable</c> allows, as a Kafka producer's metadata request would have it created. A write that fails for a reason that passes (a leader moving,
/// too few replicas in sync, a silo dying) is tried again for up to Kafka's <c>delivery.timeout.ms</c> (2 minutes), as
/// Kafka's producer retries; then, or at once for any other error, it throws and the task fails. With a
/// <see cref="TransactionalProducer"/> (exactly-once sources) the batches belong to its open transaction, and a batch
/// tried again keeps its sequence, so the partition writes it once.
/// </summary>
internal sealed class PartitionRecordWriter(
    IGrainFactory grains, TimeProvider time, TransactionalProducer? producer = null, TopicCreation? creation = null, bool autoCreate = true,
    CompressionType compression = CompressionType.None)
    : ITransactionalRecordWriter
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private const long TargetBatchBytes = 512 * 1024;

    // A batch's header is 61 bytes.
    private const long BatchOverhead = 61;

    private readonly Dictionary<string, TopicDescription> _topics = new(StringComparer.Ordinal);
    // GetGrain finds an interface's grain type by reflection on every call (2 % of the silo's CPU for a JDBC source).
    private readonly GrainReferences _references = new(grains);
    private int _nextUnkeyed = -1;

    public bool InTransaction => producer?.InTransaction ?? false;

    public async Task<IReadOnlyList<ProducedRecord>> WriteAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken)
    {
        var results = new ProducedRecord[records.Count];
        await WriteAsync(records, results, cancellationToken);
        return results;
    }

    public Task WriteOnlyAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken) => WriteAsync(records, null, cancellationToken);

    /// <summary>Writes the records; where each landed goes into <paramref name="results"/> when the caller wants it.</summary>
    private async Task WriteAsync(IReadOnlyList<ProducerRecord> records, ProducedRecord[]? results, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var unkeyed = Interlocked.Increment(ref _nextUnkeyed) & int.MaxValue;
        // Where each record goes; a poll for one partition, the common case, keeps only that one.
        (string Topic, int Partition) first = default;
        (string Topic, int Partition)[]? targets = null;
        TopicDescription? topic = null;
        string? topicName = null;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (!ReferenceEquals(record.Topic, topicName))
            {
                (topic, topicName) = (await DescribeAsync(record.Topic), record.Topic);
            }

            var target = (record.Topic, record.Partition ?? (record.Key is { } key
                ? KafkaPartitioner.PartitionFor(key, topic!.PartitionCount)
                : unkeyed % topic!.PartitionCount));
            if (i == 0)
            {
                first = target;
            }
            else if (targets is null && target != first)
            {
                targets = new (string Topic, int Partition)[records.Count];
                targets.AsSpan(0, i).Fill(first);
            }

            if (targets is not null)
            {
                targets[i] = target;
            }
        }

        if (producer is not null)
        {
            await producer.AddAsync(targets ?? [first]);
        }

        if (targets is null)
        {
            await WriteTargetAsync(records, first, new AllIndexes(records.Count), results, now, cancellationToken);
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, targets.Length).GroupBy(i => targets[i])
                .Select(group => WriteTargetAsync(records, group.Key, [.. group], results, now, cancellationToken)));
        }
    }

    /// <summary>The indexes 0 to count - 1, without an array of them.</summary>
    private sealed class AllIndexes(int count) : IReadOnlyList<int>
    {
        public int this[int index] => (uint)index < (uint)count ? index : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => count;

        public IEnumerator<int> GetEnumerator() => Enumerable.Range(0, count).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>One partition's records, in order, one batch after another, so that offsets (and a transaction's sequence numbers) follow the poll.</summary>
    private async Task WriteTargetAsync(
        IReadOnlyList<ProducerRecord> records, (string Topic, int Partition) target, IReadOnlyList<int> indexes, ProducedRecord[]? results, long now,
        CancellationToken cancellationToken)
    {
        var limit = MaxBatchBytes(_topics[target.Topic]);
        for (var start = 0; start < indexes.Count;)
        {
            var end = start;
            var bytes = BatchOverhead;
            for (; end < indexes.Count; end++)
            {
                var record = records[indexes[end]];
                var size = RecordBatchBuilder.SizeOf(record.Key, record.Value, record.Headers);
                if (end > start && bytes + size > limit)
                {
                    break;
                }

                bytes += size;
            }

            var expected = (int)(bytes - BatchOverhead);
            var builder = producer?.NewBatch(target, compression, expected)
                ?? new RecordBatchBuilder { Compression = compression, ExpectedBytes = expected };
            for (var n = start; n < end; n++)
            {
                var record = records[indexes[n]];
                builder.Append(record.Timestamp ?? now, record.Key, record.Value, record.Headers);
            }

            var appended = await AppendAsync(target, builder.Build(), cancellationToken);
            producer?.Written(target, end - start);
            for (var n = start; results is not null && n < end; n++)
            {
                var i = indexes[n];
                results[i] = new ProducedRecord(target.Topic, target.Partition, appended.BaseOffset + (n - start),
                    appended.LogAppendTime >= 0 ? appended.LogAppendTime : records[i].Timestamp ?? now);
            }

            start = end;
        }
    }

    /// <summary>
    /// The bytes a batch is filled to: a poll's records for one partition can be far more than a topic accepts in one
    /// batch (2,000 lines of 1 KiB are 2 MB; <c>max.message.bytes</c> is 1 MB by default), so they go as several batches,
    /// as Kafka's producer splits them by <c>batch.size</c>. Half a megabyte keeps grain calls few (batches under the
    /// large object heap's 85 kB did not lower the silo's gen2 collections here); a topic whose own
    /// <c>max.message.bytes</c> is smaller gets batches that fit it.
    /// </summary>
    private static long MaxBatchBytes(TopicDescription topic) =>
        topic.Configs.TryGetValue("max.message.bytes", out var configured) && long.TryParse(configured, out var max)
            ? Math.Min(TargetBatchBytes, max)
            : TargetBatchBytes;

    public Task InitializeAsync(CancellationToken cancellationToken) => producer?.InitializeAsync() ?? Task.CompletedTask;

    public Task CommitAsync(CancellationToken cancellationToken) => producer?.CommitAsync() ?? Task.CompletedTask;

    public Task AbortAsync(CancellationToken cancellationToken) => producer?.AbortAsync() ?? Task.CompletedTask;

    private async Task<AppendResult> AppendAsync((string Topic, int Partition) target, byte[] batch, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + DeliveryTimeout;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            string failure;
            try
            {
                var appended = await _references.Partition(target.Topic, target.Partition)
                    .AppendAsync(batch, producer?.TransactionalId, requiredAcks: -1);
                if (appended.Error == ErrorCode.None)
                {
                    return appended;
                }

                failure = $"{appended.Error} {appended.ErrorMessage}";
                if (!IsRetriable(appended.Error))
                {
                    throw new Tributary.Grains.Connect.Api.ConnectException($"Writing to {target.Topic}-{target.Partition} failed: {failure}");
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                failure = e.Message;
            }

            if (time.GetUtcNow() + backoff > deadline)
            {
                throw new Tributary.Grains.Connect.Api.ConnectException(
                    $"Writing to {target.Topic}-{target.Partition} did not succeed within {DeliveryTimeout.TotalSeconds} s: {failure}");
            }

            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>Kafka's retriable produce errors: the write may succeed once leadership or the ISR has settled.</summary>
    private static bool IsRetriable(ErrorCode error) => error is ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable
        or ErrorCode.RequestTimedOut or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend
        or ErrorCode.UnknownTopicOrPartition or ErrorCode.KafkaStorageError or ErrorCode.NetworkException;

    private async ValueTask<TopicDescription> DescribeAsync(string name)
    {
        if (_topics.TryGetValue(name, out var known))
        {
            return known;
        }

        var topic = grains.GetGrain<ITopicGrain>(name);
        var description = await topic.DescribeAsync();
        if (description is null)
        {
            var settings = creation?.For(name);
            if (settings is null && !autoCreate)
            {
                throw new Tributary.Grains.Connect.Api.ConnectException(
                    $"Topic {name} does not exist, the connector configures no topic creation and the broker's auto.create.topics.enable is false.");
            }

            var created = await topic.CreateAsync(settings is null
                ? new CreateTopicRequest(-1, -1, new Dictionary<string, string?>())
                : new CreateTopicRequest(settings.Partitions, settings.ReplicationFactor, settings.Configs.ToDictionary(c => c.Key, c => (string?)c.Value)));
            description = created.Topic ?? await topic.DescribeAsync()
                ?? throw new Tributary.Grains.Connect.Api.ConnectException($"Topic {name} could not be created: {created.ErrorMessage}");
        }

        _topics[name] = description;
        return description;
    }
}
