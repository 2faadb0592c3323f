using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

/// <summary>KIP-890's verification: a transactional batch may open a transaction at a partition only once it was added.</summary>
public sealed class VerifyPartitionTests
{
    private static readonly TopicPartition Orders0 = new("orders", 0);
    private static readonly TopicPartition Orders1 = new("orders", 1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly CoordinatorOwner _owner;

    public VerifyPartitionTests() => _owner = new CoordinatorOwner(_time);

    private ErrorCode Verify(long producerId, short producerEpoch, TopicPartition partition) =>
        _owner.Coordinator.VerifyPartition(producerId, producerEpoch, partition);

    [Fact]
    public void AnUnknownIdOrAnotherProducerId_IsAnInvalidProducerIdMapping()
    {
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, Verify(1000, 0, Orders0));

        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, Verify(999, 0, Orders0));
    }

    [Fact]
    public void APartitionAddedToTheOpenTransaction_IsVerified()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);

        Assert.Equal(ErrorCode.None, Verify(1000, 0, Orders0));
        Assert.Equal(ErrorCode.InvalidTxnState, Verify(1000, 0, Orders1));
    }

    [Fact]
    public void AnOlderEpoch_IsAnInvalidProducerEpoch_AndANewerOne_AnInvalidTxnState()
    {
        _owner.InitProducerId();
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 1, Orders0);

        Assert.Equal(ErrorCode.InvalidProducerEpoch, Verify(1000, 0, Orders0));
        Assert.Equal(ErrorCode.InvalidTxnState, Verify(1000, 2, Orders0));
    }

    [Fact]
    public void AsSoonAsTheTransactionIsDecided_ItsPartitionsAreNoLongerVerified()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);

        // Between the stored decision and the markers, as a partition asking mid-commit sees it.
        Assert.IsType<TransactionStep.Store>(_owner.Coordinator.EndTxn(1000, 0, commit: true));
        Assert.Equal(ErrorCode.InvalidTxnState, Verify(1000, 0, Orders0));
        Assert.IsType<TransactionStep.WriteMarkers>(_owner.Coordinator.Continue());
        Assert.Equal(ErrorCode.InvalidTxnState, Verify(1000, 0, Orders0));
    }
}
