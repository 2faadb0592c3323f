using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

public sealed class TimeoutTests
{
    private const int TimeoutMs = 60_000;
    private static readonly TopicPartition Orders0 = new("orders", 0);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly CoordinatorOwner _owner;

    public TimeoutTests()
    {
        _owner = new CoordinatorOwner(_time);
        _owner.InitProducerId(TimeoutMs);
    }

    [Fact]
    public void WithNoTransactionOpen_TheCheckDoesNothing()
    {
        _time.Advance(TimeSpan.FromDays(1));
        _owner.Steps.Clear();

        Assert.Equal(ErrorCode.None, _owner.CheckTimeout());
        Assert.Single(_owner.Steps);
    }

    [Fact]
    public void AnOpenTransaction_IsLeftAlone_UntilItsTimeoutHasPassed()
    {
        _owner.AddPartitions(1000, 0, Orders0);
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs - 1));
        _owner.Steps.Clear();

        _owner.CheckTimeout();

        Assert.Single(_owner.Steps);
        Assert.Equal(TransactionStatus.Ongoing, _owner.Metadata.Status);
    }

    [Fact]
    public void AnOpenTransaction_IsAbortedAtItsTimeout_UnderABumpedEpoch_DecisionFirst()
    {
        _owner.AddPartitions(1000, 0, Orders0);
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs));
        _owner.Steps.Clear();

        _owner.CheckTimeout();

        var decision = Assert.IsType<TransactionStep.Store>(_owner.Steps[0]).Metadata;
        Assert.Equal((TransactionStatus.PrepareAbort, (short)1), (decision.Status, decision.ProducerEpoch));
        var markers = Assert.IsType<TransactionStep.WriteMarkers>(_owner.Steps[1]).Markers;
        Assert.Equal((1000L, (short)1, false, TransactionEndReason.TimedOut), (markers.ProducerId, markers.ProducerEpoch, markers.Commit, markers.Reason));
        Assert.Equal(TransactionStatus.CompleteAbort, _owner.Metadata.Status);
    }

    [Fact]
    public void AProducerWhoseTransactionTimedOut_IsFenced_UntilItInitialisesAgain()
    {
        _owner.AddPartitions(1000, 0, Orders0);
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs));
        _owner.CheckTimeout();

        Assert.Equal(ErrorCode.ProducerFenced, _owner.AddPartitions(1000, 0, Orders0));
        Assert.Equal(ErrorCode.ProducerFenced, _owner.EndTxn(1000, 0, commit: true));
        Assert.Equal(ErrorCode.ProducerFenced, _owner.InitProducerId(TimeoutMs, 1000, 0).Error);
        Assert.Equal((ErrorCode.None, 1000L, (short)2), _owner.InitProducerId(TimeoutMs));
    }

    [Fact]
    public void TheTimeout_CountsFromTheFirstAddition_NotFromLaterOnes()
    {
        _owner.AddPartitions(1000, 0, Orders0);
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs / 2));
        _owner.AddPartitions(1000, 0, new TopicPartition("orders", 1));
        _owner.AddOffsets(1000, 0, "billing");
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs / 2));

        _owner.CheckTimeout();

        Assert.Equal(TransactionStatus.CompleteAbort, _owner.Metadata.Status);
    }

    [Fact]
    public void ATransactionTimedOutAtTheLastEpochHandedOut_IsAbortedUnderItsOwnProducerId()
    {
        var owner = new CoordinatorOwner(_time, new TransactionMetadata
        {
            ProducerId = 7, ProducerEpoch = short.MaxValue - 1, TimeoutMs = TimeoutMs, Status = TransactionStatus.Ongoing, Partitions = [Orders0],
            StartTimestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs));

        owner.CheckTimeout();

        var markers = Assert.Single(owner.Markers);
        Assert.Equal((7L, short.MaxValue), (markers.ProducerId, markers.ProducerEpoch));
        Assert.DoesNotContain(owner.Steps, s => s is TransactionStep.AllocateProducerId);
        Assert.Equal((ErrorCode.None, 1000L, (short)0), owner.InitProducerId(TimeoutMs));
    }

    [Fact]
    public void AFailedAbort_IsFinishedByTheNextCheck_WithoutBumpingTheEpochAgain()
    {
        _owner.AddPartitions(1000, 0, Orders0);
        _time.Advance(TimeSpan.FromMilliseconds(TimeoutMs));
        _owner.MarkersFail = true;
        Assert.Throws<IOException>(() => _owner.CheckTimeout());
        _owner.MarkersFail = false;
        _owner.Steps.Clear();

        _owner.CheckTimeout();

        var markers = Assert.Single(_owner.Markers);
        Assert.Equal((false, (short)1, TransactionEndReason.Resumed), (markers.Commit, markers.ProducerEpoch, markers.Reason));
        Assert.Equal(TransactionStatus.CompleteAbort, _owner.Metadata.Status);
    }
}
