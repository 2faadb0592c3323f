using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

public sealed class AddToTransactionTests
{
    private static readonly TopicPartition Orders0 = new("orders", 0);
    private static readonly TopicPartition Orders1 = new("orders", 1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly CoordinatorOwner _owner;

    public AddToTransactionTests() => _owner = new CoordinatorOwner(_time);

    [Fact]
    public void AddPartitions_BeforeAnyInitProducerId_IsAnInvalidProducerIdMapping()
    {
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, _owner.AddPartitions(1000, 0, Orders0));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, _owner.AddOffsets(1000, 0, "billing"));
        Assert.Empty(_owner.Stores);
        Assert.False(_owner.Coordinator.Exists);
    }

    [Fact]
    public void AddPartitions_WithAnotherProducerId_IsAnInvalidProducerIdMapping_AndWithAnotherEpoch_ProducerFenced()
    {
        _owner.InitProducerId();
        _owner.InitProducerId();

        Assert.Equal(ErrorCode.InvalidProducerIdMapping, _owner.AddPartitions(999, 1, Orders0));
        Assert.Equal(ErrorCode.ProducerFenced, _owner.AddPartitions(1000, 0, Orders0));
        Assert.Equal(ErrorCode.ProducerFenced, _owner.AddOffsets(1000, 2, "billing"));
        Assert.Equal(TransactionStatus.Empty, _owner.Metadata.Status);
    }

    [Fact]
    public void TheFirstAddPartitions_OpensTheTransaction_AtTheCurrentTime_AndStoresItBeforeAnswering()
    {
        _owner.InitProducerId();
        _time.Advance(TimeSpan.FromSeconds(3));
        _owner.Steps.Clear();

        Assert.Equal(ErrorCode.None, _owner.AddPartitions(1000, 0, Orders0, Orders1));

        var stored = Assert.IsType<TransactionStep.Store>(_owner.Steps[0]).Metadata;
        Assert.Equal(TransactionStatus.Ongoing, stored.Status);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), stored.StartTimestampMs);
        Assert.Equal([Orders0, Orders1], stored.Partitions);
        Assert.True(_owner.Coordinator.IsOpen);
    }

    [Fact]
    public void PartitionsAlreadyAdded_AreAnsweredWithoutAStore_AndANewOneIsAddedOnce()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);
        _owner.Steps.Clear();

        Assert.Equal(ErrorCode.None, _owner.AddPartitions(1000, 0, Orders0));
        Assert.Empty(_owner.Stores);

        Assert.Equal(ErrorCode.None, _owner.AddPartitions(1000, 0, Orders1, Orders0, Orders1));
        Assert.Equal([Orders0, Orders1], Assert.Single(_owner.Stores).Partitions);
    }

    [Fact]
    public void AddOffsets_OpensTheTransaction_WithItsGroup_AndTheSameGroupAgainStoresNothing()
    {
        _owner.InitProducerId();

        Assert.Equal(ErrorCode.None, _owner.AddOffsets(1000, 0, "billing"));
        Assert.Equal(TransactionStatus.Ongoing, _owner.Stored!.Status);
        Assert.Equal(["billing"], _owner.Stored.Groups);

        _owner.Steps.Clear();
        Assert.Equal(ErrorCode.None, _owner.AddOffsets(1000, 0, "billing"));
        Assert.Empty(_owner.Stores);
    }

    [Fact]
    public void AdditionsAfterACommit_OpenTheNextTransaction_WithOnlyThem()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);
        _owner.AddOffsets(1000, 0, "billing");
        _owner.EndTxn(1000, 0, commit: true);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorCode.None, _owner.AddPartitions(1000, 0, Orders1));
        Assert.Equal(ErrorCode.None, _owner.AddOffsets(1000, 0, "billing"));

        Assert.Equal((TransactionStatus.Ongoing, _time.GetUtcNow().ToUnixTimeMilliseconds()), (_owner.Stored!.Status, _owner.Stored.StartTimestampMs));
        Assert.Equal([Orders1], _owner.Stored.Partitions);
        Assert.Equal(["billing"], _owner.Stored.Groups);
    }
}
