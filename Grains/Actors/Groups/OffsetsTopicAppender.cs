using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.OffsetsTopic;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Actors.Groups;

/// <summary>
/// Writes one group's changes to its partition of <c>__consumer_offsets</c> as Kafka's records (offset commits,
/// group metadata, their tombstones), in the order the group made them, for tools that read group state from the
/// topic rather than with OffsetFetch. The group's own stored state is the source of truth; the topic follows it.
/// <para>Invariants: a record is appended only once the group state that holds its change is durable (the grain
/// marks how many of the queued records that is, <see cref="MarkDurable"/>); records are appended in the order they
/// were queued, never reordered by a retry. The topic is created here, as Kafka's coordinator creates it, on first
/// use.</para>
/// <para>Threads: used inside the grain's turns only. Appends run in the background of the grain (one flush at a
/// time), so that no request waits on the topic: a commit is answered once the group has stored it, and a partition
/// that is slow or on a broker that is gone delays only the topic.</para>
/// <para>Failures: an append that fails leaves its records queued, retried on the grain's next tick after a short
/// delay, and is logged at most once a minute; the group's requests are answered as usual. A record the partition refuses for
/// good (too large) is dropped with a log line, so that it cannot hold back the rest. Records still queued when the
/// activation ends are lost with it; the next activation states the group's offsets and metadata again, so the topic
/// converges on the group's state.</para>
/// </summary>
internal sealed partial class OffsetsTopicAppender(
    string groupId,
    IGrainFactory grains,
    IBrokerConfigs brokerConfigs,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Keeps each batch well under the topic's default <c>max.message.bytes</c> (1 MiB).</summary>
    private const int MaxBatchBytes = 512 * 1024;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly Queue<(byte[] Key, byte[]? Value)> _queue = new();
    private long _dequeued;
    private long _durable;
    private Task _flushing = Task.CompletedTask;
    // The partition's grain, worked out once: GetGrain finds an interface's grain type by reflection on every call.
    private IPartitionGrain? _partition;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private DateTimeOffset _loggedAt = DateTimeOffset.MinValue;
    private int _unloggedFailures;

    /// <summary>How many records were ever queued: a mark for <see cref="MarkDurable"/>.</summary>
    public long Queued { get; private set; }

    /// <summary>The append under way, if any; complete otherwise.</summary>
    public Task Flushing => _flushing;

    /// <summary>Queues a record; a null value is a tombstone.</summary>
    public void Add(OffsetsTopicKey key, byte[]? value)
    {
        _queue.Enqueue((key.Serialize(), value));
        Queued++;
    }

    /// <summary>
    /// The records queued before <paramref name="mark"/> (a <see cref="Queued"/> value taken before the state that
    /// holds their changes was written, and that write done) may be appended; starts appending them.
    /// </summary>
    public void MarkDurable(long mark)
    {
        _durable = Math.Max(_durable, mark);
        Flush();
    }

    /// <summary>Starts appending the durable records unless an append is under way or a failure's delay runs.</summary>
    public void Flush()
    {
        if (_flushing.IsCompleted && _dequeued < _durable && time.GetUtcNow() >= _retryAt)
        {
            _flushing = FlushAsync();
        }
    }

    /// <summary>Appends durable records until none is left or an append fails. Never throws.</summary>
    private async Task FlushAsync()
    {
        while (_dequeued < _durable && time.GetUtcNow() >= _retryAt)
        {
            var batch = NextBatch(_durable - _dequeued, out var count);
            try
            {
                _partition ??= PartitionGrainKey.Get(grains, InternalTopics.ConsumerOffsets, await PartitionAsync());
                var result = await _partition.AppendAsync(batch);
                if (result.Error is ErrorCode.None or ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge)
                {
                    if (result.Error != ErrorCode.None)
                    {
                        LogRecordsDropped(logger, groupId, count, result.Error, result.ErrorMessage);
                    }

                    Dequeue(count);
                    continue;
                }

                if (result.Error is ErrorCode.UnknownTopicOrPartition or ErrorCode.NotLeaderOrFollower)
                {
                    _partition = null;
                }

                Failed($"{result.Error}: {result.ErrorMessage}");
            }
            catch (Exception e)
            {
                // Whatever the append threw, the group's own state is stored: the records wait for the next flush.
                _partition = null;
                Failed(e.Message);
            }

            return;
        }
    }

    private byte[] NextBatch(long available, out int count)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var builder = new RecordBatchBuilder();
        var bytes = 0;
        count = 0;
        foreach (var (key, value) in _queue)
        {
            var size = key.Length + (value?.Length ?? 0);
            if (count == available || (count > 0 && bytes + size > MaxBatchBytes))
            {
                break;
            }

            builder.Append(now, key, value);
            bytes += size;
            count++;
        }

        return builder.Build();
    }

    private void Dequeue(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _queue.Dequeue();
        }

        _dequeued += count;
        if (_unloggedFailures > 0)
        {
            LogAppendRecovered(logger, groupId, _unloggedFailures);
            _unloggedFailures = 0;
        }
    }

    /// <summary>The group's partition, from the topic's partition count; creates the topic as Kafka's coordinator does.</summary>
    private async Task<int> PartitionAsync()
    {
        var topic = grains.GetGrain<ITopicGrain>(InternalTopics.ConsumerOffsets);
        var description = await topic.DescribeAsync();
        if (description is null)
        {
            var created = await topic.CreateAsync(new CreateTopicRequest(
                brokerConfigs.OffsetsTopicNumPartitions, brokerConfigs.OffsetsTopicReplicationFactor, InternalTopics.ConsumerOffsetsConfigs));

            // Another group may have created it meanwhile (TOPIC_ALREADY_EXISTS).
            description = created.Topic ?? await topic.DescribeAsync()
                ?? throw new InvalidOperationException($"{InternalTopics.ConsumerOffsets} could not be created: {created.Error} {created.ErrorMessage}");
        }

        return OffsetsTopicPartitioner.PartitionFor(groupId, description.PartitionCount);
    }

    private void Failed(string reason)
    {
        var now = time.GetUtcNow();
        _retryAt = now + RetryDelay;
        _unloggedFailures++;
        if (now - _loggedAt >= LogInterval)
        {
            LogAppendFailed(logger, groupId, _queue.Count, _unloggedFailures, reason);
            _loggedAt = now;
            _unloggedFailures = 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId}: appending {Count} records to __consumer_offsets failed ({Failures} failures since the last report; {Reason}); retried")]
    private static partial void LogAppendFailed(ILogger logger, string groupId, int count, int failures, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: appends to __consumer_offsets succeed again after {Failures} unreported failures")]
    private static partial void LogAppendRecovered(ILogger logger, string groupId, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group {GroupId}: {Count} records dropped, refused by __consumer_offsets ({Error}: {Message})")]
    private static partial void LogRecordsDropped(ILogger logger, string groupId, int count, ErrorCode error, string? message);
}
