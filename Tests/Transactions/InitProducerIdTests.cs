using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

public sealed class InitProducerIdTests
{
    private static readonly TopicPartition Orders0 = new("orders", 0);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    [Fact]
    public void TheFirstInitProducerId_TakesANewProducerId_AtEpochZero_AndStoresItBeforeAnswering()
    {
        var owner = new CoordinatorOwner(_time);

        Assert.Equal((ErrorCode.None, 1000L, (short)0), owner.InitProducerId(timeoutMs: 30_000));

        Assert.IsType<TransactionStep.AllocateProducerId>(owner.Steps[0]);
        var stored = Assert.IsType<TransactionStep.Store>(owner.Steps[1]).Metadata;
        Assert.Equal((1000L, (short)0, 30_000, TransactionStatus.Empty, _time.GetUtcNow().ToUnixTimeMilliseconds()),
            (stored.ProducerId, stored.ProducerEpoch, stored.TimeoutMs, stored.Status, stored.LastUpdateMs));
        Assert.IsType<TransactionStep.Answer>(owner.Steps[2]);
        Assert.True(owner.Coordinator.Exists);
    }

    [Fact]
    public void ALaterInitProducerId_BumpsTheEpoch_KeepsTheProducerId_AndTakesTheNewTimeout()
    {
        var owner = new CoordinatorOwner(_time);
        owner.InitProducerId(timeoutMs: 30_000);
        owner.Steps.Clear();

        Assert.Equal((ErrorCode.None, 1000L, (short)1), owner.InitProducerId(timeoutMs: 45_000));
        Assert.Equal(45_000, owner.Stored!.TimeoutMs);
        Assert.DoesNotContain(owner.Steps, s => s is TransactionStep.AllocateProducerId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(15 * 60_000 + 1)]
    public void ATimeoutOfZeroOrLessOrOverTheMaximum_IsInvalid_AndChangesNothing(int timeoutMs)
    {
        var owner = new CoordinatorOwner(_time);
        owner.InitProducerId();
        owner.Steps.Clear();

        Assert.Equal(ErrorCode.InvalidTransactionTimeout, owner.InitProducerId(timeoutMs).Error);
        Assert.Single(owner.Steps);
        Assert.Equal((1000L, (short)0), (owner.Metadata.ProducerId, owner.Metadata.ProducerEpoch));
    }

    [Fact]
    public void ATimeoutOfExactlyTheMaximum_IsAccepted()
    {
        var owner = new CoordinatorOwner(_time);

        Assert.Equal(ErrorCode.None, owner.InitProducerId((int)CoordinatorOwner.MaxTimeout.TotalMilliseconds).Error);
    }

    [Fact]
    public void AProducerNamingAnOlderEpochOrAnotherProducerId_IsFenced_AndNothingChanges()
    {
        var owner = new CoordinatorOwner(_time);
        owner.InitProducerId();
        owner.InitProducerId();
        owner.Steps.Clear();

        Assert.Equal(ErrorCode.ProducerFenced, owner.InitProducerId(expectedProducerId: 1000, expectedProducerEpoch: 0).Error);
        Assert.Equal(ErrorCode.ProducerFenced, owner.InitProducerId(expectedProducerId: 999, expectedProducerEpoch: 1).Error);
        Assert.Empty(owner.Stores);
        Assert.Equal((short)1, owner.Metadata.ProducerEpoch);
    }

    [Fact]
    public void AProducerNamingItsCurrentIdAndEpoch_GetsTheNextEpoch()
    {
        var owner = new CoordinatorOwner(_time);
        owner.InitProducerId();

        Assert.Equal((ErrorCode.None, 1000L, (short)1), owner.InitProducerId(expectedProducerId: 1000, expectedProducerEpoch: 0));
    }

    [Fact]
    public void ANewInstance_FencesTheOldOne_AndAbortsItsOpenTransaction_UnderABumpedEpoch_BeforeAnswering()
    {
        var owner = new CoordinatorOwner(_time);
        owner.InitProducerId();
        owner.AddPartitions(1000, 0, Orders0);
        owner.AddOffsets(1000, 0, "billing");
        owner.Steps.Clear();

        Assert.Equal((ErrorCode.None, 1000L, (short)2), owner.InitProducerId());

        Assert.Equal([TransactionStatus.PrepareAbort, TransactionStatus.Empty], owner.Stores.Select(s => s.Status));
        Assert.Equal((short)1, owner.Stores.First().ProducerEpoch);
        var markers = Assert.Single(owner.Markers);
        Assert.Equal((1000L, (short)1, false, TransactionEndReason.ProducerFenced), (markers.ProducerId, markers.ProducerEpoch, markers.Commit, markers.Reason));
        Assert.Equal([Orders0], markers.Partitions);
        Assert.Equal(["billing"], markers.Groups);
        Assert.Equal(ErrorCode.ProducerFenced, owner.AddPartitions(1000, 0, Orders0));
    }

    [Fact]
    public void AnEpochOneBelowTheLast_IsBumpedToTheLastThatIsHandedOut()
    {
        var owner = new CoordinatorOwner(_time, new TransactionMetadata { ProducerId = 7, ProducerEpoch = short.MaxValue - 2, TimeoutMs = 60_000 });

        Assert.Equal((ErrorCode.None, 7L, (short)(short.MaxValue - 1)), owner.InitProducerId());
    }

    [Fact]
    public void AnExhaustedEpoch_GetsANewProducerId_AtEpochZero()
    {
        var owner = new CoordinatorOwner(_time, new TransactionMetadata { ProducerId = 7, ProducerEpoch = short.MaxValue - 1, TimeoutMs = 60_000 });

        Assert.Equal((ErrorCode.None, 1000L, (short)0), owner.InitProducerId());
        Assert.Contains(owner.Steps, s => s is TransactionStep.AllocateProducerId);
    }

    [Fact]
    public void AnExhaustedEpoch_WithATransactionOpen_IsAbortedUnderItsOwnProducerId_BeforeANewIdIsTaken()
    {
        var owner = new CoordinatorOwner(_time, new TransactionMetadata
        {
            ProducerId = 7, ProducerEpoch = short.MaxValue - 1, TimeoutMs = 60_000, Status = TransactionStatus.Ongoing, Partitions = [Orders0],
            StartTimestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });

        Assert.Equal((ErrorCode.None, 1000L, (short)0), owner.InitProducerId());

        var markers = Assert.Single(owner.Markers);
        Assert.Equal((7L, short.MaxValue), (markers.ProducerId, markers.ProducerEpoch));
        Assert.True(owner.Steps.IndexOf(owner.Steps.OfType<TransactionStep.WriteMarkers>().Single())
            < owner.Steps.IndexOf(owner.Steps.OfType<TransactionStep.AllocateProducerId>().Single()));
    }
}
