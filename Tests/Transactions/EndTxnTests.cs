using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

public sealed class EndTxnTests
{
    private static readonly TopicPartition Orders0 = new("orders", 0);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly CoordinatorOwner _owner;

    public EndTxnTests()
    {
        _owner = new CoordinatorOwner(_time);
        _owner.InitProducerId();
    }

    private void Open()
    {
        _owner.AddPartitions(1000, 0, Orders0);
        _owner.AddOffsets(1000, 0, "billing");
        _owner.Steps.Clear();
    }

    [Fact]
    public void ACommit_IsStoredAsDecided_BeforeAnyMarker_ThenCompletes_WithItsOutcomeLeftForTheNextStore()
    {
        Open();

        Assert.Equal(ErrorCode.None, _owner.EndTxn(1000, 0, commit: true));

        Assert.Equal(TransactionStatus.PrepareCommit, Assert.IsType<TransactionStep.Store>(_owner.Steps[0]).Metadata.Status);
        var markers = Assert.IsType<TransactionStep.WriteMarkers>(_owner.Steps[1]).Markers;
        Assert.Equal((1000L, (short)0, true, TransactionEndReason.Requested), (markers.ProducerId, markers.ProducerEpoch, markers.Commit, markers.Reason));
        Assert.Equal([Orders0], markers.Partitions);
        Assert.Equal(["billing"], markers.Groups);
        Assert.IsType<TransactionStep.Answer>(_owner.Steps[2]);

        Assert.Equal((TransactionStatus.CompleteCommit, -1L), (_owner.Metadata.Status, _owner.Metadata.StartTimestampMs));
        Assert.Empty(_owner.Metadata.Partitions);
        Assert.Empty(_owner.Metadata.Groups);
        Assert.False(_owner.Coordinator.IsOpen);
        Assert.Equal(TransactionStatus.PrepareCommit, _owner.Stored!.Status);
    }

    [Fact]
    public void AnAbort_WritesAbortMarkers_AndEndsCompleteAbort()
    {
        Open();

        Assert.Equal(ErrorCode.None, _owner.EndTxn(1000, 0, commit: false));

        Assert.False(Assert.Single(_owner.Markers).Commit);
        Assert.Equal(TransactionStatus.CompleteAbort, _owner.Metadata.Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARetriedEndTxn_IsAnsweredAsBefore_WithoutWritingMarkersAgain(bool commit)
    {
        Open();
        _owner.EndTxn(1000, 0, commit);
        _owner.Steps.Clear();

        Assert.Equal(ErrorCode.None, _owner.EndTxn(1000, 0, commit));
        Assert.Empty(_owner.Markers);
        Assert.Empty(_owner.Stores);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheOppositeEnd_OfATransactionAlreadyEnded_IsAnInvalidTxnState(bool commit)
    {
        Open();
        _owner.EndTxn(1000, 0, commit);

        Assert.Equal(ErrorCode.InvalidTxnState, _owner.EndTxn(1000, 0, !commit));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EndTxn_WithNoTransactionBegun_IsAnInvalidTxnState(bool commit)
    {
        Assert.Equal(ErrorCode.InvalidTxnState, _owner.EndTxn(1000, 0, commit));
        Assert.Equal(TransactionStatus.Empty, _owner.Metadata.Status);
    }

    [Fact]
    public void EndTxn_FromAFencedProducer_IsProducerFenced_AndFromAnUnknownOne_AnInvalidProducerIdMapping()
    {
        Open();

        Assert.Equal(ErrorCode.ProducerFenced, _owner.EndTxn(1000, 1, commit: true));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, _owner.EndTxn(42, 0, commit: true));
        Assert.Equal(TransactionStatus.Ongoing, _owner.Metadata.Status);
    }

    [Fact]
    public void AFailedMarker_LeavesTheDecisionStored_AndTheRetryFinishesIt_AsARetryOfTheSameEnd()
    {
        Open();
        _owner.MarkersFail = true;
        Assert.Throws<IOException>(() => _owner.EndTxn(1000, 0, commit: true));
        Assert.Equal((TransactionStatus.PrepareCommit, TransactionStatus.PrepareCommit), (_owner.Metadata.Status, _owner.Stored!.Status));
        _owner.MarkersFail = false;
        _owner.Steps.Clear();

        Assert.Equal(ErrorCode.None, _owner.EndTxn(1000, 0, commit: true));

        var markers = Assert.Single(_owner.Markers);
        Assert.Equal((true, TransactionEndReason.Resumed), (markers.Commit, markers.Reason));
        Assert.Equal([Orders0], markers.Partitions);
        Assert.Equal(TransactionStatus.CompleteCommit, _owner.Metadata.Status);
    }

    [Fact]
    public void TheOutcome_IsStoredWithTheNextChange()
    {
        Open();
        _owner.EndTxn(1000, 0, commit: true);

        _owner.AddPartitions(1000, 0, Orders0);

        Assert.Equal(TransactionStatus.Ongoing, _owner.Stored!.Status);
    }

    [Fact]
    public void TheOutcome_IsStoredByAFlush_AndASecondFlushStoresNothing()
    {
        Open();
        _owner.EndTxn(1000, 0, commit: true);
        _time.Advance(TimeSpan.FromMinutes(1));
        _owner.Steps.Clear();

        _owner.Flush();
        var stored = Assert.Single(_owner.Stores);
        Assert.Equal((TransactionStatus.CompleteCommit, _time.GetUtcNow().ToUnixTimeMilliseconds()), (stored.Status, stored.LastUpdateMs));

        _owner.Steps.Clear();
        _owner.Flush();
        Assert.Empty(_owner.Stores);
    }
}
