using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Exactly-once sources (KIP-618) on a two-silo cluster (processes on Redis, topics with two replicas): the silo running
/// a FileStream source task with <c>exactly.once.support=required</c> is killed with <c>kill -9</c> while it writes;
/// the task runs again on the other silo from the offsets its committed transactions wrote, and a read_committed
/// consumer sees every line of the file exactly once, in order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConnectExactlyOnceTests(ConnectExactlyOnceTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<ConnectExactlyOnceTests.Fixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-connect-eos-").FullName;

    // On failure it prints the task's status, the offsets topic and the data topic's runs of records: a poll's lines
    // missing while its offset is committed once meant a batch answered as a duplicate (see TransactionalProducer).
    [Fact]
    public async Task KilledSilo_ExactlyOnceSource_ReadCommittedConsumersSeeEveryLineOnce()
    {
        var cluster = fixture.Cluster;
        var input = Path.Combine(_directory, "in.txt");
        var lines = Enumerable.Range(0, 3000).Select(i => $"line {i}").ToList();
        await File.WriteAllLinesAsync(input, lines.Take(1000));

        using var http = new HttpClient { BaseAddress = new Uri(cluster.Silos[1].ConnectUrl) };
        var created = await http.PutAsJsonAsync("/connectors/eos-source/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = "eos-lines",
            ["batch.size"] = "50",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["exactly.once.support"] = "required",
            ["transaction.boundary"] = "poll",
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "eos-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe("eos-lines");
        var read = new List<string>();
        ConsumeUntil(consumer, read, 500, TimeSpan.FromSeconds(60));

        var worker = await ExactlyOnceConnect.WorkerOfTaskAsync(http, "eos-source", TimeSpan.FromSeconds(10));
        var victim = cluster.Silos.Single(s => worker.EndsWith(":" + s.Value.ConnectPort, StringComparison.Ordinal)).Key;
        using var survivor = new HttpClient { BaseAddress = new Uri(cluster.Silos.First(s => s.Key != victim).Value.ConnectUrl) };

        // The task is killed while it still has lines to write, mid-transaction as likely as not.
        await File.AppendAllLinesAsync(input, lines.Skip(1000).Take(1000));
        await cluster.KillAsync(victim);
        var killed = Stopwatch.StartNew();
        await File.AppendAllLinesAsync(input, lines.Skip(2000));
        output.WriteLine($"killed broker {victim} running the task, {read.Count} lines read by then");

        ConsumeUntil(consumer, read, lines.Count, TimeSpan.FromSeconds(90));
        output.WriteLine($"every line read {killed.ElapsedMilliseconds} ms after the kill");

        // A little longer: a duplicate would show up now, if any was committed.
        ConsumeUntil(consumer, read, lines.Count + 1, TimeSpan.FromSeconds(3));
        if (!lines.SequenceEqual(read))
        {
            output.WriteLine("status: " + await survivor.GetStringAsync("/connectors/eos-source/status"));
            output.WriteLine("connect-offsets read_uncommitted:\n" + string.Join("\n", ExactlyOnceConnect.Dump(cluster.BootstrapServers, "connect-offsets", IsolationLevel.ReadUncommitted).Select(r => r.Text)));
            output.WriteLine("connect-offsets read_committed:\n" + string.Join("\n", ExactlyOnceConnect.Dump(cluster.BootstrapServers, "connect-offsets", IsolationLevel.ReadCommitted).Select(r => r.Text)));
            output.WriteLine("eos-lines read_uncommitted, first and last of each run:\n" + string.Join("\n", Runs([.. ExactlyOnceConnect.Dump(cluster.BootstrapServers, "eos-lines", IsolationLevel.ReadUncommitted).Select(r => r.Text)])));
        }

        Assert.Equal(lines, read);
        Assert.Contains("RUNNING", (await survivor.GetStringAsync("/connectors/eos-source/status")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IEnumerable<string> Runs(List<string> records)
    {
        for (var i = 0; i < records.Count; i += 50)
        {
            yield return records[i] + " .. " + records[Math.Min(i + 49, records.Count - 1)];
        }
    }

    private static void ConsumeUntil(IConsumer<Ignore, string> consumer, List<string> read, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (read.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    read.Add(result.Message.Value);
                }
            }
            catch (ConsumeException e) when (e.Error.Code == Confluent.Kafka.ErrorCode.UnknownTopicOrPart)
            {
                // The topic is created by the task's first write.
            }
        }
    }

    /// <summary>Redis and two silos whose workers run sources exactly once; topics get two replicas, one enough in sync.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private RedisServer? _redis;

        public SiloCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _redis = await RedisServer.StartAsync();
            Cluster = new SiloCluster(SiloCluster.Redis(_redis), ExactlyOnceConnect.SiloSettings());
            await Cluster.StartAsync(1, 2);
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }
}
