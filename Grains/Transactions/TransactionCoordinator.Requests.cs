using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Transactions;

/// <summary>Each request as the sequence of steps it asks its owner for, with the state changes between them.</summary>
public sealed partial class TransactionCoordinator
{
    private IEnumerable<TransactionStep> LoadSteps(TransactionMetadata? stored)
    {
        if (stored is not null)
        {
            Metadata = stored with { CoordinatorEpoch = stored.CoordinatorEpoch + 1 };
            Exists = true;
            // Not a producer's change: expiry still counts from the last one.
            yield return new TransactionStep.Store(Metadata);
        }

        yield return Done;
    }

    private IEnumerable<TransactionStep> InitProducerIdSteps(int transactionTimeoutMs, long expectedProducerId, short expectedProducerEpoch)
    {
        if (transactionTimeoutMs <= 0 || transactionTimeoutMs > maxTransactionTimeout.TotalMilliseconds)
        {
            yield return new TransactionStep.Answer(ErrorCode.InvalidTransactionTimeout);
            yield break;
        }

        foreach (var step in FinishPendingDecision())
        {
            yield return step;
        }

        if (Metadata.ProducerId < 0)
        {
            yield return new TransactionStep.AllocateProducerId();
            Metadata = Metadata with { ProducerId = _allocatedProducerId, ProducerEpoch = 0 };
        }
        else
        {
            // A producer that names its id and epoch (KIP-360's recovery) must hold the current ones.
            if (expectedProducerId >= 0 && (expectedProducerId != Metadata.ProducerId || expectedProducerEpoch != Metadata.ProducerEpoch))
            {
                yield return new TransactionStep.Answer(ErrorCode.ProducerFenced);
                yield break;
            }

            if (Metadata.Status == TransactionStatus.Ongoing)
            {
                // A new instance of the producer: the old one is fenced by the bumped epoch, and its transaction aborted.
                Metadata = Metadata with { ProducerEpoch = (short)(Metadata.ProducerEpoch + 1) };
                foreach (var step in Complete(commit: false, TransactionEndReason.ProducerFenced))
                {
                    yield return step;
                }
            }

            foreach (var step in BumpEpoch())
            {
                yield return step;
            }
        }

        Metadata = Metadata with { TimeoutMs = transactionTimeoutMs, Status = TransactionStatus.Empty };
        yield return Store();
        yield return Done;
    }

    private IEnumerable<TransactionStep> AddPartitionsSteps(long producerId, short producerEpoch, IReadOnlyList<TopicPartition> partitions)
    {
        foreach (var step in FinishPendingDecision())
        {
            yield return step;
        }

        if (Validate(producerId, producerEpoch) is { } error)
        {
            yield return new TransactionStep.Answer(error);
            yield break;
        }

        var added = partitions.Where(p => !Metadata.Partitions.Contains(p)).Distinct().ToList();
        if (added.Count == 0 && Metadata.Status == TransactionStatus.Ongoing)
        {
            yield return Done;
            yield break;
        }

        Metadata = Metadata with { Partitions = [.. Metadata.Partitions, .. added] };
        yield return Begin();
        yield return Done;
    }

    private IEnumerable<TransactionStep> AddOffsetsSteps(long producerId, short producerEpoch, string groupId)
    {
        foreach (var step in FinishPendingDecision())
        {
            yield return step;
        }

        if (Validate(producerId, producerEpoch) is { } error)
        {
            yield return new TransactionStep.Answer(error);
            yield break;
        }

        var known = Metadata.Groups.Contains(groupId);
        if (known && Metadata.Status == TransactionStatus.Ongoing)
        {
            yield return Done;
            yield break;
        }

        if (!known)
        {
            Metadata = Metadata with { Groups = [.. Metadata.Groups, groupId] };
        }

        yield return Begin();
        yield return Done;
    }

    private IEnumerable<TransactionStep> EndTxnSteps(long producerId, short producerEpoch, bool commit)
    {
        foreach (var step in FinishPendingDecision())
        {
            yield return step;
        }

        if (Validate(producerId, producerEpoch) is { } error)
        {
            yield return new TransactionStep.Answer(error);
            yield break;
        }

        switch (Metadata.Status)
        {
            case TransactionStatus.Ongoing:
                foreach (var step in Complete(commit, TransactionEndReason.Requested))
                {
                    yield return step;
                }

                yield return Done;
                break;
            case TransactionStatus.CompleteCommit when commit:
            case TransactionStatus.CompleteAbort when !commit:
                // A retry of an EndTxn already done.
                yield return Done;
                break;
            default:
                yield return new TransactionStep.Answer(ErrorCode.InvalidTxnState);
                break;
        }
    }

    private IEnumerable<TransactionStep> CheckTimeoutSteps()
    {
        foreach (var step in FinishPendingDecision())
        {
            yield return step;
        }

        if (Metadata.Status == TransactionStatus.Ongoing && NowMs - Metadata.StartTimestampMs >= Metadata.TimeoutMs)
        {
            // Kafka's epoch fence: the abort's markers carry the bumped epoch, so the producer's next request is fenced.
            // Its epoch is at most short.MaxValue - 1 (InitProducerId takes a new id rather than hand out more), so this
            // stays in range and keeps the producer id the open transaction was written under.
            Metadata = Metadata with { ProducerEpoch = (short)(Metadata.ProducerEpoch + 1) };
            foreach (var step in Complete(commit: false, TransactionEndReason.TimedOut))
            {
                yield return step;
            }
        }

        yield return Done;
    }

    private IEnumerable<TransactionStep> FlushSteps()
    {
        if (_outcomeUnstored)
        {
            yield return Store();
        }

        yield return Done;
    }

    /// <summary>The producer's id and epoch must be the current ones (a stored decision is finished before this is asked).</summary>
    private ErrorCode? Validate(long producerId, short producerEpoch) =>
        Metadata.ProducerId < 0 || producerId != Metadata.ProducerId ? ErrorCode.InvalidProducerIdMapping
        : producerEpoch != Metadata.ProducerEpoch ? ErrorCode.ProducerFenced
        : Metadata.Status.IsPrepared() ? ErrorCode.ConcurrentTransactions
        : null;

    /// <summary>Opens the transaction unless it is open, and stores what was added to it.</summary>
    private TransactionStep.Store Begin()
    {
        if (Metadata.Status != TransactionStatus.Ongoing)
        {
            Metadata = Metadata with { Status = TransactionStatus.Ongoing, StartTimestampMs = NowMs };
        }

        return Store();
    }

    /// <summary>A commit or abort stored but not finished (the coordinator stopped mid-way) is finished now, the same way.</summary>
    private IEnumerable<TransactionStep> FinishPendingDecision() =>
        Metadata.Status.IsPrepared()
            ? Complete(Metadata.Status == TransactionStatus.PrepareCommit, TransactionEndReason.Resumed)
            : [];

    /// <summary>
    /// Stores the decision, has a marker written to every partition of the transaction and the groups' pending offsets
    /// completed, then takes the outcome (stored with the next change). The outcome is a change, as Kafka's
    /// txnLastUpdateTimestamp: an id's expiration counts from the end of its last transaction, not from its decision.
    /// </summary>
    private IEnumerable<TransactionStep> Complete(bool commit, TransactionEndReason reason)
    {
        Metadata = Metadata with { Status = commit ? TransactionStatus.PrepareCommit : TransactionStatus.PrepareAbort };
        yield return Store();
        yield return new TransactionStep.WriteMarkers(new TransactionMarkers(
            Metadata.ProducerId, Metadata.ProducerEpoch, Metadata.CoordinatorEpoch, commit, Metadata.Partitions, Metadata.Groups, reason));
        Metadata = Metadata with
        {
            Status = commit ? TransactionStatus.CompleteCommit : TransactionStatus.CompleteAbort,
            Partitions = [],
            Groups = [],
            StartTimestampMs = -1,
            LastUpdateMs = NowMs,
        };
        _outcomeUnstored = true;
    }

    /// <summary>The next epoch, or a new producer id at epoch 0 once the epoch is exhausted (Kafka's isEpochExhausted).</summary>
    private IEnumerable<TransactionStep> BumpEpoch()
    {
        if (Metadata.ProducerEpoch >= short.MaxValue - 1)
        {
            yield return new TransactionStep.AllocateProducerId();
            Metadata = Metadata with { ProducerId = _allocatedProducerId, ProducerEpoch = 0 };
        }
        else
        {
            Metadata = Metadata with { ProducerEpoch = (short)(Metadata.ProducerEpoch + 1) };
        }
    }

    /// <summary>A store of a change the producer's transaction made: stamped, as expiry counts from the last one.</summary>
    private TransactionStep.Store Store()
    {
        Metadata = Metadata with { LastUpdateMs = NowMs };
        return new TransactionStep.Store(Metadata);
    }
}
