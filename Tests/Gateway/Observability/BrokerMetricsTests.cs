using System.Globalization;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>
/// The broker's metrics as an operator sees them: a real Prometheus server scrapes the silo's <c>/metrics</c> while
/// Confluent.Kafka produces and consumes, and the figures are read back through Prometheus' query API under Kafka's
/// names (as the JMX exporter names Kafka's own).
/// </summary>
public sealed class BrokerMetricsTests(PrometheusBroker broker) : IClassFixture<PrometheusBroker>
{
    private const int Records = 2_000;
    private const int ValueBytes = 1_024;

    [Fact]
    public async Task MessagesAndBytes_InAndOut_AreWhatWasProducedAndConsumed()
    {
        await broker.CreateAsync("metered", 3);
        var payload = 0L;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build())
        {
            for (var i = 0; i < Records; i++)
            {
                var key = $"key-{i}";
                var value = new byte[ValueBytes];
                Random.Shared.NextBytes(value);
                payload += key.Length + value.Length;
                producer.Produce("metered", new Message<string, byte[]> { Key = key, Value = value });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var messages = await broker.WaitForAsync(
            """sum(kafka_server_brokertopicmetrics_messagesin_total{topic="metered"})""", v => v >= Records, "every message counted in");
        Assert.Equal(Records, messages);

        // The bytes in are the record batches as appended: the payload and each record's and batch's framing, which
        // for 1 KiB values is a few per cent.
        var bytesIn = await broker.Prometheus.ValueAsync("""sum(kafka_server_brokertopicmetrics_bytesin_total{topic="metered"})""");
        Assert.InRange(bytesIn!.Value, payload, payload * 1.05);
        Assert.True(await broker.Prometheus.ValueAsync("""sum(kafka_server_brokertopicmetrics_totalproducerequests_total{topic="metered"})""") > 0);

        // The partitions' logs hold what came in: their end offsets add up to the records, their sizes to the bytes.
        var endOffsets = await broker.WaitForAsync(
            """sum(kafka_log_log_logendoffset{topic="metered"})""", v => v >= Records, "the logs' end offsets");
        Assert.Equal(Records, endOffsets);
        Assert.Equal(bytesIn.Value, await broker.Prometheus.ValueAsync("""sum(kafka_log_log_size{topic="metered"})"""));
        Assert.Equal(0, await broker.Prometheus.ValueAsync("""sum(kafka_log_log_logstartoffset{topic="metered"})"""));
        var segments = await broker.Prometheus.QueryAsync("""kafka_log_log_numlogsegments{topic="metered"}""");
        Assert.Equal(["0", "1", "2"], segments.Select(s => s.Labels["partition"]).Order());
        Assert.All(segments, s => Assert.True(s.Value >= 1));

        var consumed = 0;
        using (var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "metered-readers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build())
        {
            consumer.Subscribe("metered");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (consumed < Records && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
                {
                    consumed++;
                }
            }

            consumer.Close();
        }

        Assert.Equal(Records, consumed);

        // Each batch went out once, to the one consumer that read the topic from its start.
        var bytesOut = await broker.WaitForAsync(
            """sum(kafka_server_brokertopicmetrics_bytesout_total{topic="metered"})""", v => v >= bytesIn.Value * 0.95, "the bytes fetched");
        Assert.InRange(bytesOut, bytesIn.Value * 0.95, bytesIn.Value * 1.05);
        Assert.True(await broker.Prometheus.ValueAsync("""sum(kafka_server_brokertopicmetrics_totalfetchrequests_total{topic="metered"})""") > 0);
        Assert.Equal(0, await broker.Prometheus.ValueAsync("""sum(kafka_server_brokertopicmetrics_failedproducerequests_total{topic="metered"}) or vector(0)"""));
    }

    [Fact]
    public async Task ABatchOverTheTopicsLimit_CountsAsBytesRejected_NotAsMessagesIn()
    {
        await broker.CreateAsync("metered-small", 1, new() { ["max.message.bytes"] = "2000" });
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, MessageSendMaxRetries = 0 }).Build())
        {
            var refused = await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() =>
                producer.ProduceAsync("metered-small", new Message<string, byte[]> { Key = "big", Value = new byte[10_000] }));
            Assert.Equal(ErrorCode.MsgSizeTooLarge, refused.Error.Code);
        }

        var rejected = await broker.WaitForAsync(
            """sum(kafka_server_brokertopicmetrics_bytesrejected_total{topic="metered-small"})""", v => v > 0, "the refused batch's bytes");
        Assert.InRange(rejected, 10_000, 10_200);

        // The response's error, by Kafka's name, among the Produce errors (ErrorsPerSec).
        await broker.WaitForAsync(
            """sum(kafka_network_requestmetrics_errors_total{request="Produce",error="MESSAGE_TOO_LARGE"})""", v => v >= 1, "the refusal's error code");
        Assert.Equal(0, await broker.Prometheus.ValueAsync("""sum(kafka_server_brokertopicmetrics_messagesin_total{topic="metered-small"}) or vector(0)"""));
    }

    [Fact]
    public async Task RequestTimes_AreHistogramsPerApi_WithFetchWaitsAsRemoteTime()
    {
        await broker.CreateAsync("timed", 1);
        const string ProduceCount = """sum(kafka_network_requestmetrics_totaltimems_count{request="Produce"}) or vector(0)""";
        const string ProducedWithoutError = """sum(kafka_network_requestmetrics_errors_total{request="Produce",error="NONE"}) or vector(0)""";
        const string FetchRemote = """sum(kafka_network_requestmetrics_remotetimems_sum{request="FetchConsumer"}) or vector(0)""";
        var producesBefore = await broker.Prometheus.ValueAsync(ProduceCount);
        var noErrorsBefore = await broker.Prometheus.ValueAsync(ProducedWithoutError);
        var remoteBefore = await broker.Prometheus.ValueAsync(FetchRemote);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 0 }).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                await producer.ProduceAsync("timed", new Message<Null, string> { Value = $"r{i}" });
            }
        }

        // A consumer at the end of a quiet topic: its fetches wait out fetch.wait.max.ms in the broker.
        using (var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "timed-readers",
            AutoOffsetReset = AutoOffsetReset.Latest,
            FetchWaitMaxMs = 300,
        }).Build())
        {
            consumer.Subscribe("timed");
            var until = DateTime.UtcNow.AddSeconds(4);
            while (DateTime.UtcNow < until)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(200));
            }

            consumer.Close();
        }

        await broker.WaitForAsync(ProduceCount, v => v >= producesBefore + 50, "this test's produce requests timed");
        await broker.WaitForAsync(ProducedWithoutError, v => v >= noErrorsBefore + 50, "this test's partitions answered NONE");
        var remote = await broker.WaitForAsync(FetchRemote, v => v > remoteBefore + 250, "fetches parked for records, as remote time");
        Assert.True(remote > remoteBefore);
        foreach (var api in new[] { "ApiVersions", "Metadata", "Produce", "Fetch", "FetchConsumer" })
        {
            var p99 = await broker.Prometheus.ValueAsync(
                $$"""histogram_quantile(0.99, sum by (le) (kafka_network_requestmetrics_totaltimems_bucket{request="{{api}}"}))""");
            Assert.True(p99 is > 0 and < 30_000, $"{api}'s 99th percentile total time was {p99?.ToString(CultureInfo.InvariantCulture) ?? "absent"} ms");
            Assert.True(await broker.Prometheus.ValueAsync($$"""sum(kafka_network_requestmetrics_requests_total{request="{{api}}"})""") > 0, $"{api} counted");
            Assert.True(await broker.Prometheus.ValueAsync($$"""sum(kafka_network_requestmetrics_requestbytes_count{request="{{api}}"})""") > 0, $"{api}'s sizes");
        }
    }

    [Fact]
    public async Task AStoppedGroupsLag_GrowsInRecordsAndInSeconds()
    {
        const string Rebalances = "sum(kafka_server_group_coordinator_metrics_group_completed_rebalance_total) or vector(0)";
        const string Commits = "sum(kafka_server_group_coordinator_metrics_offset_commit_total) or vector(0)";
        var rebalancesBefore = await broker.Prometheus.ValueAsync(Rebalances);
        var commitsBefore = await broker.Prometheus.ValueAsync(Commits);
        var producing = DateTime.UtcNow;
        await broker.CreateAsync("lagging", 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        for (var i = 0; i < 100; i++)
        {
            producer.Produce("lagging", new Message<Null, string> { Value = $"r{i}" });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        using (var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "laggards",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build())
        {
            consumer.Subscribe("lagging");
            var read = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (read < 40 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
                {
                    read++;
                }
            }

            Assert.Equal(40, read);
            consumer.Commit([new TopicPartitionOffset("lagging", 0, 40)]);
            consumer.Close();
        }

        const string Labels = """{group="laggards",topic="lagging",partition="0"}""";
        Assert.Equal(60, await broker.WaitForAsync($"kafka_consumergroup_group_lag{Labels}", v => v == 60, "the stopped group's lag in records"));
        Assert.Equal(40, await broker.Prometheus.ValueAsync($"kafka_consumergroup_group_offset{Labels}"));
        var seconds = await broker.WaitForAsync($"kafka_consumergroup_group_lag_seconds{Labels}", v => v >= 0, "the lag in seconds");
        Assert.InRange(seconds, 0, (DateTime.UtcNow - producing).TotalSeconds + 1);

        // Nobody consumes: the oldest unconsumed record only gets older, and new records add to the lag.
        await broker.WaitForAsync($"kafka_consumergroup_group_lag_seconds{Labels}", v => v >= seconds + 2, "the lag in seconds growing");
        for (var i = 0; i < 50; i++)
        {
            producer.Produce("lagging", new Message<Null, string> { Value = $"more{i}" });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        await broker.WaitForAsync($"kafka_consumergroup_group_lag{Labels}", v => v == 110, "the lag in records growing");
        Assert.True(await broker.Prometheus.ValueAsync("kafka_coordinator_group_groupmetadatamanager_numgroups") >= 1);
        Assert.True(await broker.Prometheus.ValueAsync("kafka_coordinator_group_groupmetadatamanager_numoffsets") >= 1);
        Assert.True(await broker.Prometheus.ValueAsync("kafka_coordinator_group_groupmetadatamanager_numgroupsempty") >= 1);

        // The group's rebalance (its one member joining) and its commit, on the coordinator's counters.
        await broker.WaitForAsync(Rebalances, v => v >= rebalancesBefore + 1, "the group's rebalance counted");
        await broker.WaitForAsync(Commits, v => v >= commitsBefore + 1, "the group's commit counted");
        Assert.InRange(await broker.Prometheus.ValueAsync($"kafka_consumergroup_group_lag_seconds{Labels}") ?? -1, seconds + 2, (DateTime.UtcNow - producing).TotalSeconds + 1);
    }

    [Fact]
    public async Task ReplicaCounts_AreThePartitionsThisBrokerHoldsAndLeads()
    {
        await broker.CreateAsync("counted", 3);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Sum(t => t.Partitions.Count);

        // One broker: it holds and leads every partition, none under-replicated or offline.
        Assert.Equal(partitions, await broker.WaitForAsync("kafka_server_replicamanager_partitioncount", v => v == partitions, "every partition held"));
        Assert.Equal(partitions, await broker.WaitForAsync("kafka_server_replicamanager_leadercount", v => v == partitions, "every partition led"));
        Assert.Equal(0, await broker.Prometheus.ValueAsync("kafka_server_replicamanager_underreplicatedpartitions"));
        Assert.Equal(0, await broker.Prometheus.ValueAsync("kafka_controller_kafkacontroller_offlinepartitionscount"));
    }

    [Fact]
    public async Task LogFlushes_AreCountedAndTimed()
    {
        const string Flushes = "sum(kafka_log_logflushstats_logflushrateandtimems_count)";
        var before = await broker.Prometheus.ValueAsync(Flushes) ?? 0;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            // flush.messages=1: each append is acknowledged once a flush round has synced it.
            await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification
            {
                Name = "flushed", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["flush.messages"] = "1" },
            }]);
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync("flushed", new Message<Null, string> { Value = $"durable {i}" });
            }
        }

        // Each awaited append came after the last one's round: at least five rounds, each timed.
        await broker.WaitForAsync(Flushes, v => v >= before + 5, "five flush rounds counted");
        Assert.True(await broker.Prometheus.ValueAsync("sum(kafka_log_logflushstats_logflushrateandtimems_sum)") > 0);
    }

    [Fact]
    public async Task Connections_AreCountedPerListener()
    {
        var before = await broker.Prometheus.ValueAsync("""sum(kafka_server_socket_server_metrics_connection_creation_total{listener="PLAINTEXT"}) or vector(0)""");
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            admin.GetMetadata(TimeSpan.FromSeconds(10));
            await broker.WaitForAsync(
                """sum(kafka_server_socket_server_metrics_connection_creation_total{listener="PLAINTEXT"})""", v => v > before, "a new connection counted");
            await broker.WaitForAsync(
                """sum(kafka_server_socket_server_metrics_connection_count{listener="PLAINTEXT"})""", v => v >= 1, "an open connection");
        }
    }

    [Fact]
    public async Task TheRuntimesMeters_AreServedBeside_TheBrokers()
    {
        await broker.WaitForAsync("""count({__name__=~"orleans_.+"})""", v => v > 0, "the Orleans runtime's meters");
        await broker.WaitForAsync("""count({__name__=~"dotnet_.+"})""", v => v > 0, ".NET's runtime meters");
    }

    [Fact]
    public async Task TheHttpServices_AreMeasuredEachByName_WithTheirStatusCodes()
    {
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"{broker.RegistryUrl}/subjects")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"{broker.RegistryUrl}/subjects/not-there/versions")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"{broker.ConnectUrl}/connectors")).StatusCode);

        await broker.WaitForAsync(
            """sum(http_server_request_duration_seconds_count{service="schema-registry",http_response_status_code="404"})""", v => v >= 1,
            "the registry's 404");
        await broker.WaitForAsync(
            """sum(http_server_request_duration_seconds_count{service="schema-registry",http_response_status_code="200"})""", v => v >= 1,
            "the registry's 200");
        await broker.WaitForAsync("""sum(http_server_request_duration_seconds_count{service="rest-proxy"})""", v => v >= 1, "the REST Proxy's request");
        await broker.WaitForAsync("""sum(http_server_request_duration_seconds_count{service="connect"})""", v => v >= 1, "Connect's request");
    }

    [Fact]
    public async Task TwoSilosInOneProcess_KeepTheirMetricsApart()
    {
        var other = new BrokerFixture();
        await other.InitializeAsync();
        try
        {
            await broker.CreateAsync("metered-here", 1);
            using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
            {
                await producer.ProduceAsync("metered-here", new Message<Null, string> { Value = "only here" });
            }

            // Polled: the exporter answers a scrape from a copy up to 300 ms old.
            using var http = new HttpClient();
            await Wait.UntilAsync(
                async () => (await http.GetStringAsync($"http://127.0.0.1:{broker.HealthPort}/metrics")).Contains("topic=\"metered-here\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "the produce on the silo that took it");
            var there = await http.GetStringAsync($"http://127.0.0.1:{other.HealthPort}/metrics");
            Assert.DoesNotContain("topic=\"metered-here\"", there, StringComparison.Ordinal);
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task WithMetricsOff_NothingIsServed()
    {
        var off = new MetricsOffBroker();
        await off.InitializeAsync();
        try
        {
            using var http = new HttpClient();
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{off.HealthPort}/metrics")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{off.HealthPort}/health/live")).StatusCode);
        }
        finally
        {
            await off.DisposeAsync();
        }
    }

    private sealed class MetricsOffBroker : BrokerFixture
    {
        protected override IReadOnlyList<string> Settings => ["--Tributary:Metrics:Enabled", "false"];
    }
}
