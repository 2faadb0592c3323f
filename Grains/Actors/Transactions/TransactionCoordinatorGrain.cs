using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Transactions;

using Tributary.Grains.Transactions;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// A thin adapter from grain calls to one transactional id's <see cref="TransactionCoordinator"/>, which decides: this
/// grain does the steps it asks for (stores the state, takes producer ids, writes markers to the partitions and completes
/// the groups' offsets), runs its timeout check on a timer while a transaction is open, and reports each state to the
/// catalog. Not reentrant: requests run one at a time, and a commit or abort holds the others back until every marker is
/// written (where Kafka answers CONCURRENT_TRANSACTIONS for the client to retry). A decision is stored before any marker
/// is written and the outcome with the next change or on deactivation, so each transaction costs two writes.
/// </summary>
public sealed partial class TransactionCoordinatorGrain(
    [PersistentState("transaction", GrainStorageNames.Transactions)] IPersistentState<TransactionState> stored,
    IOptions<TributaryOptions> options,
    TimeProvider time,
    ILogger<TransactionCoordinatorGrain> logger) : Grain, ITransactionCoordinatorGrain
{
    private TransactionCoordinator _coordinator = null!;
    private IGrainTimer? _timer;
    private GrainReferences? _references;
    private ITransactionCatalogGrain? _catalog;
    private bool _silent;

    private string TransactionalId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _coordinator = new TransactionCoordinator(options.Value.Transactions.MaxTransactionTimeout, time);
        await RunAsync(_coordinator.Load(stored.RecordExists ? stored.State.ToMetadata() : null));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo that stops takes its catalog down with it or soon after: no report is sent that could only fail. The
        // catalog learns the state again when the coordinator wakes (on this silo's next start, or elsewhere once this
        // one is gone; see TransactionRecovery).
        _silent = reason.ReasonCode == DeactivationReasonCode.ShuttingDown;
        return RunAsync(_coordinator.Flush());
    }

    public async Task<InitProducerIdResult> InitProducerIdAsync(int transactionTimeoutMs, long expectedProducerId, short expectedProducerEpoch)
    {
        var error = await RunAsync(_coordinator.InitProducerId(transactionTimeoutMs, expectedProducerId, expectedProducerEpoch));
        return error == ErrorCode.None
            ? new InitProducerIdResult(error, _coordinator.Metadata.ProducerId, _coordinator.Metadata.ProducerEpoch)
            : new InitProducerIdResult(error, -1, -1);
    }

    public Task<ErrorCode> AddPartitionsAsync(long producerId, short producerEpoch, IReadOnlyList<TransactionPartition> partitions) =>
        RunAsync(_coordinator.AddPartitions(producerId, producerEpoch, partitions.Select(ToTopicPartition)));

    public Task<ErrorCode> AddOffsetsAsync(long producerId, short producerEpoch, string groupId) =>
        RunAsync(_coordinator.AddOffsets(producerId, producerEpoch, groupId));

    public Task<ErrorCode> EndAsync(long producerId, short producerEpoch, bool commit) =>
        RunAsync(_coordinator.EndTxn(producerId, producerEpoch, commit));

    public Task<ErrorCode> VerifyPartitionAsync(long producerId, short producerEpoch, TransactionPartition partition) =>
        Task.FromResult(_coordinator.VerifyPartition(producerId, producerEpoch, ToTopicPartition(partition)));

    public Task<TransactionDescription?> DescribeAsync()
    {
        var state = _coordinator.Metadata;
        return Task.FromResult(_coordinator.Exists
            ? new TransactionDescription(TransactionalId, state.Status.ToString(), state.ProducerId, state.ProducerEpoch, state.TimeoutMs,
                state.StartTimestampMs, state.Partitions.Select(p => new TransactionPartition(p.Topic, p.Partition)).ToList())
            : null);
    }

    public Task ResumeAsync() => Task.CompletedTask;

    public async Task<bool> ExpireIfIdleAsync(TimeSpan expiration)
    {
        if (!_coordinator.IsExpired(expiration))
        {
            return false;
        }

        await stored.ClearStateAsync();
        _coordinator.Forget();
        await GrainFactory.GetGrain<ITransactionCatalogGrain>(0).RemoveAsync(TransactionalId);
        DeactivateOnIdle();
        return true;
    }

    /// <summary>Does each step the coordinator asks for, until it answers; the timer runs while a transaction is open.</summary>
    private async Task<ErrorCode> RunAsync(TransactionStep step)
    {
        while (true)
        {
            SyncTimer();
            switch (step)
            {
                case TransactionStep.Answer answer:
                    return answer.Error;
                case TransactionStep.Store store:
                    stored.State = TransactionState.From(store.Metadata);
                    await stored.WriteStateAsync();
                    ReportToCatalog();
                    step = _coordinator.Continue();
                    break;
                case TransactionStep.AllocateProducerId:
                    step = _coordinator.Continue(await GrainFactory.GetGrain<IProducerIdGrain>(0).NextAsync());
                    break;
                case TransactionStep.WriteMarkers { Markers: var markers }:
                    LogEnding(markers);
                    await WriteMarkersAsync(markers);
                    foreach (var group in markers.Groups)
                    {
                        await GrainFactory.GetGrain<IConsumerGroupGrain>(group).CompleteTransactionAsync(markers.ProducerId, markers.Commit);
                    }

                    step = _coordinator.Continue();
                    ReportToCatalog();
                    break;
                default:
                    throw new InvalidOperationException($"Unknown transaction step {step}.");
            }
        }
    }

    /// <summary>A marker to every partition at once; a failure fails the step, which is tried again with the next request or check.</summary>
    private async Task WriteMarkersAsync(TransactionMarkers markers)
    {
        await Task.WhenAll(markers.Partitions.Select(async p =>
        {
            var partition = (_references ??= new GrainReferences(GrainFactory)).Partition(p.Topic, p.Partition);
            try
            {
                var error = await partition.WriteTxnMarkerAsync(markers.ProducerId, markers.ProducerEpoch, markers.CoordinatorEpoch, markers.Commit);
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

    private void ReportToCatalog()
    {
        if (!_silent)
        {
            _ = (_catalog ??= GrainFactory.GetGrain<ITransactionCatalogGrain>(0)).UpdateAsync(
                new TransactionListing(TransactionalId, _coordinator.Metadata.ProducerId, _coordinator.Metadata.Status.ToString()));
        }
    }

    private void SyncTimer()
    {
        if (_coordinator.IsOpen)
        {
            var interval = options.Value.Transactions.TimeoutCheckInterval;
            _timer ??= this.RegisterGrainTimer(
                static (grain, _) => grain.CheckAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true });
        }
        else
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private async Task CheckAsync()
    {
        try
        {
            await RunAsync(_coordinator.CheckTimeout());
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or OrleansException)
        {
            LogCompletionFailed(logger, TransactionalId, e.Message);
        }
    }

    private static TopicPartition ToTopicPartition(TransactionPartition partition) => new(partition.Topic, partition.Partition);

    private void LogEnding(TransactionMarkers markers)
    {
        switch (markers.Reason)
        {
            case TransactionEndReason.ProducerFenced:
                LogFencingAbort(logger, TransactionalId, markers.ProducerId, markers.ProducerEpoch);
                break;
            case TransactionEndReason.TimedOut:
                LogTimedOut(logger, TransactionalId, markers.ProducerId, _coordinator.Metadata.TimeoutMs, markers.ProducerEpoch);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction {TransactionalId}: producer {ProducerId} fenced by a new instance; its open transaction is aborted under epoch {Epoch}")]
    private static partial void LogFencingAbort(ILogger logger, string transactionalId, long producerId, short epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction {TransactionalId}: producer {ProducerId} exceeded its timeout of {TimeoutMs} ms; aborted under epoch {Epoch}, which fences it")]
    private static partial void LogTimedOut(ILogger logger, string transactionalId, long producerId, int timeoutMs, short epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionalId}: completing failed ({Reason}); retried on the next check")]
    private static partial void LogCompletionFailed(ILogger logger, string transactionalId, string reason);
}
