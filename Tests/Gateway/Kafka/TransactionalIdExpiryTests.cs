using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// The platform with transactional ids that expire after three idle seconds, looked for every half second: long enough
/// that a test client stalled by a loaded machine (blocking calls on a starved thread pool) is not taken for idle.
/// </summary>
public sealed class ExpiringTransactionsFixture : BrokerFixture
{
    protected override IReadOnlyList<string> Settings =>
    [
        "--Tributary:Transactions:TransactionalIdExpiration", "00:00:03",
        "--Tributary:Transactions:ExpirationCheckInterval", "00:00:00.500",
    ];
}

/// <summary>Kafka's <c>transactional.id.expiration.ms</c>: an idle transactional id is forgotten; one in use is not.</summary>
public sealed class TransactionalIdExpiryTests(ExpiringTransactionsFixture broker) : IClassFixture<ExpiringTransactionsFixture>
{
    private const short TransactionalIdNotFound = 105;

    [Fact]
    public async Task AnIdleTransactionalId_IsForgotten_AndComesBackWithANewProducerId()
    {
        await broker.CreateAsync("expiring", 1);
        var first = CommitOne("expiring-id", "first");

        using var client = new RawKafkaClient(broker.KafkaPort);
        var gone = false;
        for (var attempt = 0; attempt < 100 && !gone; attempt++)
        {
            await Task.Delay(200);
            gone = Describe(client, "expiring-id").ErrorCode == TransactionalIdNotFound;
        }

        Assert.True(gone, "the idle transactional id was not forgotten");
        var listed = client.Call<ListTransactionsResponse>(ApiKey.ListTransactions, 1, new ListTransactionsRequest { DurationFilter = -1 });
        Assert.DoesNotContain(listed.TransactionStates, s => s.TransactionalId == "expiring-id");

        // The producer's records stay; a producer that comes back starts afresh under a new producer id.
        var second = CommitOne("expiring-id", "second");
        Assert.NotEqual(first, second);
        Assert.Equal("CompleteCommit", Describe(client, "expiring-id").TransactionStateValue);
    }

    [Fact]
    public async Task ATransactionalIdInUse_IsKept()
    {
        await broker.CreateAsync("kept", 1);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = "kept-id" }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        using var client = new RawKafkaClient(broker.KafkaPort);
        // Six seconds of transactions a quarter of a second apart: twice the expiration, never idle for it.
        for (var i = 0; i < 24; i++)
        {
            producer.BeginTransaction();
            await producer.ProduceAsync("kept", new Message<string, string> { Key = "k", Value = $"v{i}" });
            producer.CommitTransaction(TimeSpan.FromSeconds(30));
            await Task.Delay(250);
            Assert.Equal(0, Describe(client, "kept-id").ErrorCode);
        }
    }

    private long CommitOne(string transactionalId, string value)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = transactionalId }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        producer.Produce("expiring", new Message<string, string> { Key = "k", Value = value });
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
        using var client = new RawKafkaClient(broker.KafkaPort);
        return Describe(client, transactionalId).ProducerId;
    }

    private static DescribeTransactionsResponse.TransactionState Describe(RawKafkaClient client, string transactionalId) =>
        client.Call<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, new DescribeTransactionsRequest { TransactionalIds = [transactionalId] })
            .TransactionStates.Single();
}
