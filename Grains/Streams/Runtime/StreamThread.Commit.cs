using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime;

internal sealed partial class StreamThread
{
    /// <summary>
    /// Flushes the stores, makes the output durable and commits the processed offsets with it. Tasks keep running
    /// through a cooperative rebalance, so a commit may meet one; what it then cannot commit is committed later.
    /// Whether the offsets were committed.
    /// </summary>
    private bool Commit()
    {
        lock (_tasks)
        {
            foreach (var task in _tasks.Values)
            {
                task.Flush();
            }

            var offsets = _tasks.Values
                .SelectMany(t => t.ConsumedOffsets)
                .Select(p => new TopicPartitionOffset(p.Key, p.Value + 1))
                .ToList();
            _lastCommit = Stopwatch.GetTimestamp();
            if (ExactlyOnce)
            {
                try
                {
                    if (offsets.Count > 0)
                    {
                        _producer!.SendOffsetsToTransaction(offsets, TransactionMetadata(), ClientTimeout);
                    }

                    _producer!.CommitTransaction(ClientTimeout);
                }
                catch (KafkaTxnRequiresAbortException e)
                {
                    // Kafka Streams' TaskMigratedException: the group moved on (a new generation) while the transaction
                    // was open, so its offsets were refused and its output must go.
                    RestartTasksFromLastCommit(e.Error.Reason);
                    return false;
                }

                _collector!.ThrowIfFailed();
                _producer.BeginTransaction();
            }
            else
            {
                _collector!.Flush(ClientTimeout);
                if (offsets.Count > 0 && !TryCommitOffsets(offsets))
                {
                    // The processed offsets stay pending and go with the next commit.
                    return false;
                }

                // The stores are flushed and their changelog records acknowledged: what they hold on disk is durable.
                foreach (var task in _tasks.Values)
                {
                    task.State.StateManager.Checkpoint(_collector);
                }
            }

            foreach (var task in _tasks.Values)
            {
                task.ClearConsumed();
            }

            return true;
        }
    }

    /// <summary>
    /// The group metadata the transaction's offsets go with: the member's generation, which the coordinator checks
    /// (a thread the group has put out is refused, and its transaction aborted); the consumer's, which has none, only
    /// while the member is in no generation or Confluent.Kafka's metadata cannot be made.
    /// </summary>
    private IConsumerGroupMetadata TransactionMetadata() =>
        _member!.Generation is { } generation
            ? Group.TransactionGroupMetadata.Create(_config.ApplicationId, generation, _member.GroupInstanceId) ?? _consumer!.ConsumerGroupMetadata
            : _consumer!.ConsumerGroupMetadata;

    /// <summary>
    /// Commits before tasks close (on shutdown, or when they are taken away). A group completing a rebalance refuses
    /// the commit for a moment, so the commit is tried again a few times; what still cannot be committed is processed
    /// again by the next owner (at least once).
    /// </summary>
    private void CommitBeforeClosing()
    {
        for (var attempt = 1; !Commit(); attempt++)
        {
            if (attempt == 10)
            {
                StreamsRuntimeLog.CommitAbandoned(_logger, _name);
                return;
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Commits offsets outside a transaction, in the member's generation. A group completing a rebalance refuses
    /// commits (REBALANCE_IN_PROGRESS), and one whose generation has moved refuses the previous one's: as Kafka Streams,
    /// the thread goes on and commits at its next chance, after it has joined again; if it was put out of the group
    /// meanwhile, its tasks are lost and the offsets are never committed.
    /// </summary>
    private bool TryCommitOffsets(List<TopicPartitionOffset> offsets)
    {
        try
        {
            _member!.CommitAsync(offsets, CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId)
        {
            StreamsRuntimeLog.CommitDeferred(_logger, _name, e.Error.Reason);
            return false;
        }
    }

    /// <summary>
    /// After an aborted transaction: the tasks' stores hold writes that were rolled back, so the tasks are closed
    /// dirty, made again from their changelogs (read committed), and their partitions read again from the committed
    /// offsets. The consumer keeps its assignment; a rebalance that follows takes away what it must.
    /// </summary>
    private void RestartTasksFromLastCommit(string reason)
    {
        StreamsRuntimeLog.TransactionAborted(_logger, _name, reason);
        _producer!.AbortTransaction(ClientTimeout);
        _producer.BeginTransaction();
        var ids = _tasks.Keys.Order().ToList();
        foreach (var id in ids)
        {
            _tasks[id].Close(clean: false);
            _standbys?.Release(id);
        }

        _tasks.Clear();
        ForgetRoute();
        // Tasks being taken away (the abort met their revocation) are not made again only to close.
        ids.RemoveAll(id => _revoking.Contains(id));
        foreach (var id in ids)
        {
            CreateTask(id);
        }

        // Partitions still waiting to be assigned are read from the committed offsets when they are.
        var assigned = _consumer!.Assignment.ToHashSet();
        var partitions = ids.SelectMany(id => _groups.SourcePartitionsOf(id)).Where(assigned.Contains).ToList();
        foreach (var committed in _consumer.Committed(partitions, ClientTimeout))
        {
            _consumer.Seek(committed.Offset.IsSpecial ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed);
        }
    }
}
