using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

public sealed class ExpiryTests
{
    private static readonly TimeSpan Expiration = TimeSpan.FromDays(7);
    private static readonly TopicPartition Orders0 = new("orders", 0);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly CoordinatorOwner _owner;

    public ExpiryTests() => _owner = new CoordinatorOwner(_time);

    [Fact]
    public void AnUnknownId_NeverExpires()
    {
        _time.Advance(Expiration * 2);

        Assert.False(_owner.Coordinator.IsExpired(Expiration));
    }

    [Fact]
    public void AnIdleId_Expires_OnceTheExpirationHasPassedSinceItsLastChange()
    {
        _owner.InitProducerId();
        _time.Advance(TimeSpan.FromDays(1));
        _owner.AddPartitions(1000, 0, Orders0);
        _owner.EndTxn(1000, 0, commit: true);

        _time.Advance(Expiration - TimeSpan.FromMilliseconds(1));
        Assert.False(_owner.Coordinator.IsExpired(Expiration));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_owner.Coordinator.IsExpired(Expiration));
    }

    [Fact]
    public void TheExpiration_CountsFromTheTransactionsCompletion_NotFromItsDecision()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);
        _owner.MarkerWriteTime = TimeSpan.FromHours(1);
        _owner.EndTxn(1000, 0, commit: true);

        _time.Advance(Expiration - TimeSpan.FromMilliseconds(1));
        Assert.False(_owner.Coordinator.IsExpired(Expiration));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_owner.Coordinator.IsExpired(Expiration));
    }

    [Fact]
    public void AnIdWithATransactionOpen_DoesNotExpire()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);
        _time.Advance(Expiration * 2);

        Assert.False(_owner.Coordinator.IsExpired(Expiration));
    }

    [Fact]
    public void AForgottenId_IsUnknown_StoresNoOutcomeOnFlush_AndAProducerComingBackGetsANewProducerId()
    {
        _owner.InitProducerId();
        _owner.AddPartitions(1000, 0, Orders0);
        _owner.EndTxn(1000, 0, commit: true);
        _time.Advance(Expiration);

        _owner.Coordinator.Forget();
        _owner.Steps.Clear();

        Assert.False(_owner.Coordinator.Exists);
        _owner.Flush();
        Assert.Empty(_owner.Stores);
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, _owner.AddPartitions(1000, 0, Orders0));
        Assert.Equal((ErrorCode.None, 1001L, (short)0), _owner.InitProducerId());
    }

    [Fact]
    public void LoadingTheStoredState_DoesNotCountAsAChange()
    {
        var lastChange = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _time.Advance(Expiration);

        var owner = new CoordinatorOwner(_time, new TransactionMetadata { ProducerId = 7, ProducerEpoch = 0, TimeoutMs = 60_000, LastUpdateMs = lastChange });

        Assert.Equal(lastChange, owner.Stored!.LastUpdateMs);
        Assert.True(owner.Coordinator.IsExpired(Expiration));
    }
}
