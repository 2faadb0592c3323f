using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Transactions;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// One transactional id's coordinator, after Kafka's TransactionCoordinator. Not reentrant: requests run one at a
/// time, and a commit or abort holds the others back until every marker is written (where Kafka answers
/// CONCURRENT_TRANSACTIONS for the client to retry). The decision is stored (PrepareCommit / PrepareAbort) before any
/// marker is written, so a coordinator that restarts mid-way finishes the same way: a transaction ends whole. The
/// outcome (CompleteCommit / CompleteAbort) is stored with the next change, not on its own: a restart that finds the
/// decision instead writes the same markers again, which changes nothing, so each transaction costs two writes.
/// </summary>
public sealed partial class TransactionCoordinatorGrain(
    [PersistentState("transaction", GrainStorageNames.Transactions)] IPersistentState<TransactionState> stored,
    IOptions<TributaryOptions> options,
    TimeProvider time,
    ILogger<TransactionCoordinatorGrain> logger) : Grain, ITransactionCoordinatorGrain
{
    private IGrainTimer? _timer;
    private bool _outcomeUnsaved;
    private GrainReferences? _references;
    private ITransactionCatalogGrain? _catalog;

    private TransactionState State => stored.State;

    private string TransactionalId => this.GetPrimaryKeyString();

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (stored.RecordExists)
        {
            State.CoordinatorEpoch++;
            await SaveAsync(activity: false);
            if (State.Status is TransactionStatus.Ongoing or TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort)
            {
                StartTimer();
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_outcomeUnsaved)
        {
            await SaveAsync();
        }
    }

    public async Task<InitProducerIdResult> InitProducerIdAsync(int transactionTimeoutMs, long expectedProducerId, short expectedProducerEpoch)
    {
        var settings = options.Value.Transactions;
        if (transactionTimeoutMs <= 0 || transactionTimeoutMs > settings.MaxTransactionTimeout.TotalMilliseconds)
        {
            return new InitProducerIdResult(ErrorCode.InvalidTransactionTimeout, -1, -1);
        }

        await FinishPendingDecisionAsync();
        if (State.ProducerId < 0)
        {
            State.ProducerId = await GrainFactory.GetGrain<IProducerIdGrain>(0).NextAsync();
            State.ProducerEpoch = 0;
        }
        else
        {
            if (expectedProducerId >= 0 && (expectedProducerId != State.ProducerId || expectedProducerEpoch != State.ProducerEpoch))
            {
                return new InitProducerIdResult(ErrorCode.ProducerFenced, -1, -1);
            }

            if (State.Status == TransactionStatus.Ongoing)
            {
                // A new instance of the producer: the old one is fenced by the bumped epoch, and its transaction aborted.
                LogFencingAbort(logger, TransactionalId, State.ProducerId, State.ProducerEpoch);
                State.ProducerEpoch++;
                await CompleteAsync(commit: false);
            }

            await BumpEpochAsync();
        }

        State.TimeoutMs = transactionTimeoutMs;
        State.Status = TransactionStatus.Empty;
        await SaveAsync();
        return new InitProducerIdResult(ErrorCode.None, State.ProducerId, State.ProducerEpoch);
    }

    public async Task<ErrorCode> AddPartitionsAsync(long producerId, short producerEpoch, IReadOnlyList<TransactionPartition> partitions)
    {
        await FinishPendingDecisionAsync();
        if (Validate(producerId, producerEpoch) is { } error)
        {
            return error;
        }

        var added = partitions.Where(p => !State.Partitions.Contains(p)).Distinct().ToList();
        if (added.Count == 0 && State.Status == TransactionStatus.Ongoing)
        {
            return ErrorCode.None;
        }

        State.Partitions.AddRange(added);
        await BeginAsync();
        return ErrorCode.None;
    }

    public async Task<ErrorCode> AddOffsetsAsync(long producerId, short producerEpoch, string groupId)
    {
        await FinishPendingDecisionAsync();
        if (Validate(producerId, producerEpoch) is { } error)
        {
            return error;
        }

        if (State.Groups.Contains(groupId) && State.Status == TransactionStatus.Ongoing)
        {
            return ErrorCode.None;
        }

        if (!State.Groups.Contains(groupId))
        {
            State.Groups.Add(groupId);
        }

        await BeginAsync();
        return ErrorCode.None;
    }

    public async Task<ErrorCode> EndAsync(long producerId, short producerEpoch, bool commit)
    {
        await FinishPendingDecisionAsync();
        if (Validate(producerId, producerEpoch) is { } error)
        {
            return error;
        }

        switch (State.Status)
        {
            case TransactionStatus.Ongoing:
                await CompleteAsync(commit);
                return ErrorCode.None;
            case TransactionStatus.CompleteCommit when commit:
            case TransactionStatus.CompleteAbort when !commit:
                // A retry of an EndTxn already done.
                return ErrorCode.None;
            default:
                return ErrorCode.InvalidTxnState;
        }
    }

    public Task<ErrorCode> VerifyPartitionAsync(long producerId, short producerEpoch, TransactionPartition partition) => Task.FromResult(
        !stored.RecordExists || State.ProducerId < 0 || producerId != State.ProducerId ? ErrorCode.InvalidProducerIdMapping
        : producerEpoch < State.ProducerEpoch ? ErrorCode.InvalidProducerEpoch
        : producerEpoch == State.ProducerEpoch && State.Status == TransactionStatus.Ongoing && State.Partitions.Contains(partition) ? ErrorCode.None
        : ErrorCode.InvalidTxnState);

    public Task<TransactionDescription?> DescribeAsync() => Task.FromResult(stored.RecordExists
        ? new TransactionDescription(TransactionalId, State.Status.ToString(), State.ProducerId, State.ProducerEpoch, State.TimeoutMs,
            State.StartTimestampMs, [.. State.Partitions])
        : null);

    public Task ResumeAsync() => Task.CompletedTask;

    public async Task<bool> ExpireIfIdleAsync(TimeSpan expiration)
    {
        if (!stored.RecordExists
            || State.Status is TransactionStatus.Ongoing or TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort
            || NowMs - State.LastUpdateMs < expiration.TotalMilliseconds)
        {
            return false;
        }

        await stored.ClearStateAsync();
        await GrainFactory.GetGrain<ITransactionCatalogGrain>(0).RemoveAsync(TransactionalId);
        DeactivateOnIdle();
        return true;
    }

    /// <summary>The producer's id and epoch must be this coordinator's current ones (callers finish a decision left by a restart first).</summary>
    private ErrorCode? Validate(long producerId, short producerEpoch)
    {
        if (State.ProducerId < 0 || producerId != State.ProducerId)
        {
            return ErrorCode.InvalidProducerIdMapping;
        }

        if (producerEpoch != State.ProducerEpoch)
        {
            return ErrorCode.ProducerFenced;
        }

        return State.Status is TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort ? ErrorCode.ConcurrentTransactions : null;
    }

    private async Task BeginAsync()
    {
        if (State.Status != TransactionStatus.Ongoing)
        {
            State.Status = TransactionStatus.Ongoing;
            State.StartTimestampMs = NowMs;
            StartTimer();
        }

        await SaveAsync();
    }

    /// <summary>
    /// Stores the decision, writes a marker to every partition of the transaction (retrying failures), completes the
    /// groups' pending offsets, and stores the outcome.
    /// </summary>
    private async Task CompleteAsync(bool commit)
    {
        State.Status = commit ? TransactionStatus.PrepareCommit : TransactionStatus.PrepareAbort;
        await SaveAsync();
        await WriteMarkersAsync(commit);
        foreach (var group in State.Groups)
        {
            await GrainFactory.GetGrain<IConsumerGroupGrain>(group).CompleteTransactionAsync(State.ProducerId, commit);
        }

        State.Status = commit ? TransactionStatus.CompleteCommit : TransactionStatus.CompleteAbort;
        State.Partitions.Clear();
        State.Groups.Clear();
        State.StartTimestampMs = -1;
        _outcomeUnsaved = true;
        ReportToCatalog();
        StopTimer();
    }

    private async Task WriteMarkersAsync(bool commit)
    {
        var (producerId, epoch, coordinatorEpoch) = (State.ProducerId, State.ProducerEpoch, State.CoordinatorEpoch);
        await Task.WhenAll(State.Partitions.Select(async p =>
        {
            var partition = (_references ??= new GrainReferences(GrainFactory)).Partition(p.Topic, p.Partition);
            try
            {
                var error = await partition.WriteTxnMarkerAsync(producerId, epoch, coordinatorEpoch, commit);
                if (error is not (ErrorCode.None or ErrorCode.InvalidProducerEpoch or ErrorCode.TransactionCoordinatorFenced))
                {
                    throw new InvalidOperationException($"Marker for {p.Topic}-{p.Partition} failed with {error}.");
                }
            }
            catch (UnknownPartitionException)
            {
                // The topic was deleted with the transaction open: nothing is left to mark.
            }
        }));
    }

    /// <summary>A commit or abort stored but not finished (the coordinator stopped mid-way) is finished now.</summary>
    private async Task FinishPendingDecisionAsync()
    {
        if (State.Status is TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort)
        {
            await CompleteAsync(State.Status == TransactionStatus.PrepareCommit);
        }
    }

    private async Task BumpEpochAsync()
    {
        if (State.ProducerEpoch >= short.MaxValue - 1)
        {
            State.ProducerId = await GrainFactory.GetGrain<IProducerIdGrain>(0).NextAsync();
            State.ProducerEpoch = 0;
        }
        else
        {
            State.ProducerEpoch++;
        }
    }

    /// <summary>Stores the state; <paramref name="activity"/>: a producer's request changed it (what expiration counts from).</summary>
    private async Task SaveAsync(bool activity = true)
    {
        if (activity)
        {
            State.LastUpdateMs = NowMs;
        }

        await stored.WriteStateAsync();
        _outcomeUnsaved = false;
        ReportToCatalog();
    }

    private void ReportToCatalog() =>
        _ = (_catalog ??= GrainFactory.GetGrain<ITransactionCatalogGrain>(0)).UpdateAsync(new TransactionListing(TransactionalId, State.ProducerId, State.Status.ToString()));

    private void StartTimer()
    {
        var interval = options.Value.Transactions.TimeoutCheckInterval;
        _timer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.CheckAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true });
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>Finishes a decision left by a restart, and aborts a transaction open longer than its timeout (fencing its producer).</summary>
    private async Task CheckAsync()
    {
        try
        {
            if (State.Status is TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort)
            {
                await FinishPendingDecisionAsync();
            }
            else if (State.Status == TransactionStatus.Ongoing && NowMs - State.StartTimestampMs >= State.TimeoutMs)
            {
                LogTimedOut(logger, TransactionalId, State.ProducerId, State.ProducerEpoch, State.TimeoutMs);
                await BumpEpochAsync();
                await CompleteAsync(commit: false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or OrleansException)
        {
            LogCompletionFailed(logger, TransactionalId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction {TransactionalId}: producer {ProducerId} epoch {Epoch} fenced by a new instance; its open transaction is aborted")]
    private static partial void LogFencingAbort(ILogger logger, string transactionalId, long producerId, short epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction {TransactionalId}: producer {ProducerId} epoch {Epoch} exceeded its timeout of {TimeoutMs} ms; aborted")]
    private static partial void LogTimedOut(ILogger logger, string transactionalId, long producerId, short epoch, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionalId}: completing failed ({Reason}); retried on the next check")]
    private static partial void LogCompletionFailed(ILogger logger, string transactionalId, string reason);
}
