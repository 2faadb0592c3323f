using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

public sealed class RecoveryTests
{
    private static readonly TopicPartition Orders0 = new("orders", 0);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    private TransactionMetadata Decided(TransactionStatus status) => new()
    {
        ProducerId = 7, ProducerEpoch = 3, TimeoutMs = 60_000, Status = status, Partitions = [Orders0], Groups = ["billing"],
        StartTimestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds(), CoordinatorEpoch = 4,
    };

    [Fact]
    public void NothingStored_LeavesTheIdUnknown_AndStoresNothing()
    {
        var coordinator = new TransactionCoordinator(CoordinatorOwner.MaxTimeout, _time);

        Assert.IsType<TransactionStep.Answer>(coordinator.Load(null));
        Assert.False(coordinator.Exists);
        Assert.False(coordinator.IsOpen);
    }

    [Fact]
    public void LoadingStoredState_StartsTheNextCoordinatorEpoch_AndStoresIt()
    {
        var coordinator = new TransactionCoordinator(CoordinatorOwner.MaxTimeout, _time);

        var store = Assert.IsType<TransactionStep.Store>(coordinator.Load(Decided(TransactionStatus.Ongoing)));

        Assert.Equal(5, store.Metadata.CoordinatorEpoch);
        Assert.IsType<TransactionStep.Answer>(coordinator.Continue());
        Assert.True(coordinator.Exists);
        Assert.True(coordinator.IsOpen);
    }

    [Theory]
    [InlineData(TransactionStatus.PrepareCommit, true)]
    [InlineData(TransactionStatus.PrepareAbort, false)]
    public void ADecisionFoundStored_IsFinishedTheSameWay_BeforeTheNextRequestIsDecided(TransactionStatus decided, bool commit)
    {
        var owner = new CoordinatorOwner(_time, Decided(decided));

        Assert.Equal(ErrorCode.None, owner.AddPartitions(7, 3, Orders0));

        Assert.Equal(decided, Assert.IsType<TransactionStep.Store>(owner.Steps[0]).Metadata.Status);
        var markers = Assert.IsType<TransactionStep.WriteMarkers>(owner.Steps[1]).Markers;
        Assert.Equal((7L, (short)3, 5, commit, TransactionEndReason.Resumed),
            (markers.ProducerId, markers.ProducerEpoch, markers.CoordinatorEpoch, markers.Commit, markers.Reason));
        Assert.Equal(["billing"], markers.Groups);
        Assert.Equal(TransactionStatus.Ongoing, Assert.IsType<TransactionStep.Store>(owner.Steps[2]).Metadata.Status);
    }

    [Fact]
    public void ADecisionFoundStored_IsFinishedByTheCheck_TooWhenNoRequestComes()
    {
        var owner = new CoordinatorOwner(_time, Decided(TransactionStatus.PrepareCommit));

        owner.CheckTimeout();

        Assert.True(Assert.Single(owner.Markers).Commit);
        Assert.Equal(TransactionStatus.CompleteCommit, owner.Metadata.Status);
    }

    [Fact]
    public void AFencedInitProducerId_StillFinishesADecisionFoundStored_ButLeavesItsOutcomeUnstored()
    {
        var owner = new CoordinatorOwner(_time, Decided(TransactionStatus.PrepareAbort));

        Assert.Equal(ErrorCode.ProducerFenced, owner.InitProducerId(expectedProducerId: 7, expectedProducerEpoch: 2).Error);

        Assert.Single(owner.Markers);
        Assert.Equal((TransactionStatus.CompleteAbort, TransactionStatus.PrepareAbort), (owner.Metadata.Status, owner.Stored!.Status));
    }

    [Fact]
    public void AnInvalidTimeout_IsAnsweredBeforeADecisionFoundStoredIsFinished()
    {
        var owner = new CoordinatorOwner(_time, Decided(TransactionStatus.PrepareCommit));

        Assert.Equal(ErrorCode.InvalidTransactionTimeout, owner.InitProducerId(timeoutMs: 0).Error);

        Assert.Empty(owner.Markers);
        Assert.Equal(TransactionStatus.PrepareCommit, owner.Metadata.Status);
    }

    [Fact]
    public void Continue_WithNoStepAskedFor_IsAMistakeOfTheOwner()
    {
        var coordinator = new TransactionCoordinator(CoordinatorOwner.MaxTimeout, _time);

        Assert.Throws<InvalidOperationException>(() => coordinator.Continue());
        Assert.Throws<InvalidOperationException>(() => coordinator.Continue(1000));
    }
}
