using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// Gives a new task's stores back their contents (Kafka's <c>StoreChangelogReader</c>): each logged store's
/// changelog partition is read to its end with a consumer outside the group, before the task processes anything:
/// from the start, or, for a persistent store, after the offset its checkpoint names. With exactly-once it reads
/// committed records only, so aborted writes of a crashed instance never reach the store.
/// </summary>
internal sealed class ChangelogRestorer(IConsumer<byte[]?, byte[]?> consumer, string threadName, ILogger logger, IStateRestoreListener? listener) : IDisposable
{
    private const int BatchSize = 1000;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Before the stores open: a checkpoint that names an offset the changelog does not have (past its end, or
    /// before its start: the topic was made anew) is from another life of the topic, and its store is wiped.
    /// </summary>
    public void Prepare(StreamTask task)
    {
        var state = task.State.StateManager;
        foreach (var (store, topic) in state.Changelogs)
        {
            if (state.CheckpointedOffset(store) is not { } checkpointed)
            {
                continue;
            }

            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, task.Id.Partition), Timeout);
            if (checkpointed + 1 > watermarks.High.Value || checkpointed + 1 < watermarks.Low.Value)
            {
                StreamsRuntimeLog.CheckpointDiscarded(logger, threadName, store, task.Id.ToString(), checkpointed, watermarks.Low.Value, watermarks.High.Value);
                state.Wipe(store);
            }
        }
    }

    public void Restore(StreamTask task)
    {
        foreach (var (store, topic) in task.State.StateManager.Changelogs)
        {
            var partition = new TopicPartition(topic, task.Id.Partition);
            var end = consumer.QueryWatermarkOffsets(partition, Timeout).High.Value;
            var start = task.State.StateManager.CheckpointedOffset(store) is { } checkpointed ? checkpointed + 1 : 0;
            if (end <= start)
            {
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            consumer.Assign(new TopicPartitionOffset(partition, start == 0 ? Offset.Beginning : new Offset(start)));
            listener?.OnRestoreStart(partition, store, start, end);
            long restored = 0;
            long batch = 0;
            var last = start - 1;
            try
            {
                while (consumer.Position(partition).Value < end)
                {
                    if (Stopwatch.GetElapsedTime(started) > Deadline)
                    {
                        throw new StreamsException($"{threadName} could not restore store {store} of task {task.Id} from {partition} within {Deadline}");
                    }

                    var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (result?.Message.Key is { } key)
                    {
                        task.State.StateManager.Restore(store, result.Offset.Value, key, result.Message.Value, result.Message.Timestamp.UnixTimestampMs);
                        last = result.Offset.Value;
                        restored++;
                        if (++batch == BatchSize)
                        {
                            listener?.OnBatchRestored(partition, store, last, batch);
                            batch = 0;
                        }
                    }
                }

                if (batch > 0)
                {
                    listener?.OnBatchRestored(partition, store, last, batch);
                }

                listener?.OnRestoreEnd(partition, store, restored);
            }
            finally
            {
                consumer.Unassign();
            }
        }
    }

    public void Dispose()
    {
        consumer.Close();
        consumer.Dispose();
    }
}
