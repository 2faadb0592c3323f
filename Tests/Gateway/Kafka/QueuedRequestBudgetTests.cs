using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>A broker whose silo holds at most 16 KiB of queued requests (Kafka's <c>queued.max.request.bytes</c>).</summary>
public sealed class SmallRequestBudgetBroker : BrokerFixture
{
    public const int Budget = 16 * 1024;

    /// <summary>The silo's budget, with the counters it keeps for tests.</summary>
    public QueuedRequestBytes RequestBytes => Services.GetRequiredService<QueuedRequestBytes>();

    protected override IReadOnlyList<string> Settings =>
        ["--Tributary:Kafka:QueuedMaxRequestBytes", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}

/// <summary>
/// Many producers against a small budget of queued request bytes: they are held back, never refused, so every record
/// is written, and the broker never holds more than the budget plus one request.
/// </summary>
public sealed class QueuedRequestBudgetTests(SmallRequestBudgetBroker broker) : IClassFixture<SmallRequestBudgetBroker>
{
    [Fact]
    public async Task ManyConcurrentProducers_AllSucceed_AndTheBrokerNeverHoldsMoreThanTheBudgetPlusOneRequest()
    {
        const string topic = "budgeted";
        const int producers = 12;
        const int recordsEach = 300;
        await broker.CreateAsync(topic, 4);
        var budget = broker.RequestBytes;
        Assert.Equal(SmallRequestBudgetBroker.Budget, budget.Limit);

        var failed = 0;
        var value = new byte[1024];
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
            {
                BootstrapServers = broker.BootstrapServers,
                Acks = Acks.All,
                LingerMs = 2,
                BatchSize = 8 * 1024,
            }).Build();
            for (var i = 0; i < recordsEach; i++)
            {
                producer.Produce(topic, new Message<Null, byte[]> { Value = value }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        })));

        Assert.Equal(0, failed);
        Assert.Equal(producers * recordsEach, StoredRecords(topic, 4));
        await Wait.UntilAsync(() => budget.Held == 0, TimeSpan.FromSeconds(30), "every request's bytes given back");
        Assert.True(
            budget.PeakHeld <= budget.Limit + budget.LargestRequest,
            $"held {budget.PeakHeld} bytes at most, with a budget of {budget.Limit} and requests of up to {budget.LargestRequest}");
    }

    private long StoredRecords(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30)).High.Value);
    }
}
