using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Grains.Storage.Producers;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Producers;

/// <summary>Open transactions hold back the last stable offset; markers end them; aborted ones are indexed.</summary>
public sealed class TransactionalAppendTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private PartitionLog _log = null!;

    public Task InitializeAsync()
    {
        _log = PartitionLog.Open(_temp.Combine("txn-0"), LogConfig.Default, lastShutdownWasClean: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<LogAppendResult> Append(byte[] batch, AppendOrigin origin = AppendOrigin.Client) => await _log.AppendAsync(batch, origin);

    [Fact]
    public async Task AnOpenTransaction_HoldsTheLastStableOffsetAtItsFirstRecord_UntilItsMarker()
    {
        await Append(Batches.Make(2));
        await Append(ProducerBatches.Make(5, 0, 0, transactional: true));
        await Append(Batches.Make(3, first: 10));
        Assert.Equal((2L, 7L), (_log.LastStableOffset, _log.HighWatermark));

        var marker = await Append(ProducerBatches.Marker(5, 0, commit: true), AppendOrigin.Coordinator);

        Assert.Equal((ErrorCode.None, 7L), (marker.Error, marker.BaseOffset));
        Assert.Equal(8, _log.LastStableOffset);
        Assert.Empty(_log.CollectAbortedTransactions(0, 8));
    }

    [Fact]
    public async Task AnAbortedTransaction_IsListedForEveryReadThatOverlapsIt()
    {
        await Append(ProducerBatches.Make(5, 0, 0, transactional: true));
        await Append(ProducerBatches.Make(6, 0, 0, transactional: true));
        await Append(ProducerBatches.Make(5, 0, 2, transactional: true));
        await Append(ProducerBatches.Marker(5, 0, commit: false), AppendOrigin.Coordinator);
        Assert.Equal(2, _log.LastStableOffset);
        await Append(ProducerBatches.Marker(6, 0, commit: true), AppendOrigin.Coordinator);

        Assert.Equal(8, _log.LastStableOffset);
        Assert.Equal([new AbortedTransaction(5, 0, 6, 2)], _log.CollectAbortedTransactions(0, 8));
        Assert.Equal([new AbortedTransaction(5, 0, 6, 2)], _log.CollectAbortedTransactions(5, 8));
        Assert.Empty(_log.CollectAbortedTransactions(7, 8));
    }

    [Fact]
    public async Task Markers_AreRefusedFromClients_AndFromOlderEpochsAndCoordinators()
    {
        await Append(ProducerBatches.Make(5, 2, 0, transactional: true));

        Assert.Equal(ErrorCode.InvalidRecord, (await Append(ProducerBatches.Marker(5, 2, commit: true))).Error);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, (await Append(ProducerBatches.Marker(5, 1, commit: true), AppendOrigin.Coordinator)).Error);
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Marker(5, 2, commit: true, coordinatorEpoch: 4), AppendOrigin.Coordinator)).Error);
        Assert.Equal(ErrorCode.TransactionCoordinatorFenced, (await Append(ProducerBatches.Marker(5, 2, commit: false, coordinatorEpoch: 3), AppendOrigin.Coordinator)).Error);
    }

    [Fact]
    public async Task APlainWrite_WhileItsTransactionIsOpen_IsAnInvalidTransactionState()
    {
        await Append(ProducerBatches.Make(5, 0, 0, transactional: true));

        Assert.Equal(ErrorCode.InvalidTxnState, (await Append(ProducerBatches.Make(5, 0, 2))).Error);
    }

    [Fact]
    public async Task AFencingMarker_WithABumpedEpoch_EndsTheTransaction_AndTheNewEpochStartsAtZero()
    {
        await Append(ProducerBatches.Make(5, 0, 0, transactional: true));

        await Append(ProducerBatches.Marker(5, 1, commit: false), AppendOrigin.Coordinator);

        Assert.Equal(ErrorCode.InvalidProducerEpoch, (await Append(ProducerBatches.Make(5, 0, 2, transactional: true))).Error);
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(5, 1, 0, transactional: true))).Error);
        Assert.Equal(3, _log.LastStableOffset);
    }

    [Fact]
    public async Task UnlessVerified_ABatchThatWouldOpenATransaction_IsNotWritten_ButOneInAnOpenTransactionIs()
    {
        var first = ProducerBatches.Make(5, 0, 0, transactional: true);
        var refused = await _log.AppendAsync(first.ToArray(), AppendOrigin.Client, transactionVerified: false);
        Assert.Equal(((5L, (short)0), 0L), (refused.Opener, _log.LogEndOffset));

        Assert.Null((await _log.AppendAsync(first, AppendOrigin.Client, transactionVerified: true)).Opener);
        var next = await _log.AppendAsync(ProducerBatches.Make(5, 0, 2, transactional: true), AppendOrigin.Client, transactionVerified: false);
        var plain = await _log.AppendAsync(Batches.Make(1, first: 9), AppendOrigin.Client, transactionVerified: false);
        Assert.Equal((ErrorCode.None, (ErrorCode.None, 5L)), (next.Error, (plain.Error, _log.LogEndOffset)));

        await Append(ProducerBatches.Marker(5, 0, commit: true), AppendOrigin.Coordinator);
        var nextTransaction = await _log.AppendAsync(ProducerBatches.Make(5, 0, 4, transactional: true), AppendOrigin.Client, transactionVerified: false);
        Assert.Equal((5L, (short)0), nextTransaction.Opener);
    }

    [Fact]
    public async Task ATransactionalBatchWhoseSizeDoesNotFit_IsLeftToTheValidator()
    {
        var batch = ProducerBatches.Make(5, 0, 0, transactional: true);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length * 4);

        var result = await _log.AppendAsync(batch, AppendOrigin.Client, transactionVerified: false);

        Assert.Null(result.Opener);
        Assert.NotEqual(ErrorCode.None, result.Error);
        Assert.Equal(0, _log.LogEndOffset);
    }
}
