using System.Diagnostics;
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
    public static readonly TimeSpan Expiration = TimeSpan.FromSeconds(3);

    protected override IReadOnlyList<string> Settings =>
    [
        "--Tributary:Transactions:TransactionalIdExpiration", Expiration.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
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

    /// <summary>
    /// Six seconds of transactions a quarter of a second apart: twice the expiration, and the id never idle for it.
    /// The id's last change comes after its commit is asked for, and its next after the next produce is, so the id can
    /// rightly have expired only if the test itself stalled for the expiration between those (a starved thread pool on
    /// a loaded machine): a missing id is a failure whenever the test's own window was shorter.
    /// </summary>
    [Fact]
    public async Task ATransactionalIdInUse_IsKept()
    {
        await broker.CreateAsync("kept", 1);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = "kept-id" }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        using var client = new RawKafkaClient(broker.KafkaPort);
        var judged = 0;
        long? committing = null;
        for (var i = 0; i < 24; i++)
        {
            try
            {
                producer.BeginTransaction();
                await producer.ProduceAsync("kept", new Message<string, string> { Key = "k", Value = $"v{i}" });
            }
            catch (KafkaException) when (committing is { } since && Stopwatch.GetElapsedTime(since) >= ExpiringTransactionsFixture.Expiration)
            {
                // The test stalled past the expiration since the last commit: the id was rightly forgotten.
                break;
            }

            committing = Stopwatch.GetTimestamp();
            producer.CommitTransaction(TimeSpan.FromSeconds(30));
            await Task.Delay(250);
            var error = Describe(client, "kept-id").ErrorCode;
            if (Stopwatch.GetElapsedTime(committing.Value) < ExpiringTransactionsFixture.Expiration)
            {
                Assert.Equal(0, error);
                judged++;
            }
        }

        Assert.True(judged > 0, "every round of the test stalled past the expiration");
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
