using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka.Quotas;

/// <summary>
/// A broker whose quota rates cover 3 windows of a second (Kafka's <c>quota.window.num</c>), so that a new client's
/// burst is two seconds' worth and its rate settles within the seconds a test can spend.
/// </summary>
public sealed class QuotaBroker : BrokerFixture
{
    public const int WindowNum = 3;

    /// <summary>When a new client's rate has settled: its burst spent, and its rate measured over all the windows.</summary>
    public static readonly TimeSpan Settled = TimeSpan.FromSeconds(WindowNum + 1);

    /// <summary>A SASL_PLAINTEXT listener, where clients are users that quotas can name.</summary>
    public int SaslPort { get; } = TestPorts.Next();

    protected override IReadOnlyList<string> Settings =>
    [
        "--Tributary:Kafka:QuotaWindowNum", WindowNum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
        "--Tributary:Kafka:Sasl:PlainUsers:quota-user", "quota-secret",
    ];
}

/// <summary>
/// Client quotas as Kafka's clients see them: AlterClientQuotas and DescribeClientQuotas with Kafka's rules, and
/// producers, consumers and busy clients held to their quotas (a real Confluent.Kafka producer and consumer measured
/// against the rate set), while clients without a quota are not slowed.
/// </summary>
public sealed class ClientQuotaTests(QuotaBroker broker, ITestOutputHelper output) : IClassFixture<QuotaBroker>
{
    private const int RecordBytes = 1024;

    private static AlterClientQuotasRequest.EntryData Entry(string? user, string? clientId, params (string Key, double Value, bool Remove)[] ops)
    {
        var entity = new List<AlterClientQuotasRequest.EntityData>();
        if (user is not null)
        {
            entity.Add(new() { EntityType = "user", EntityName = user == "<default>" ? null : user });
        }

        if (clientId is not null)
        {
            entity.Add(new() { EntityType = "client-id", EntityName = clientId == "<default>" ? null : clientId });
        }

        return new() { Entity = entity, Ops = ops.Select(o => new AlterClientQuotasRequest.OpData { Key = o.Key, Value = o.Value, Remove = o.Remove }).ToList() };
    }

    private AlterClientQuotasResponse Alter(bool validateOnly, params AlterClientQuotasRequest.EntryData[] entries)
    {
        using var admin = new RawKafkaClient(broker.KafkaPort, "quota-admin");
        return admin.Call<AlterClientQuotasResponse>(ApiKey.AlterClientQuotas, 1, new AlterClientQuotasRequest { Entries = [.. entries], ValidateOnly = validateOnly });
    }

    private DescribeClientQuotasResponse Describe(bool strict, params (string Type, sbyte Match, string? Name)[] components)
    {
        using var admin = new RawKafkaClient(broker.KafkaPort, "quota-admin");
        return admin.Call<DescribeClientQuotasResponse>(ApiKey.DescribeClientQuotas, 1, new DescribeClientQuotasRequest
        {
            Components = components.Select(c => new DescribeClientQuotasRequest.ComponentData { EntityType = c.Type, MatchType = c.Match, Match = c.Name }).ToList(),
            Strict = strict,
        });
    }

    private static string Show(DescribeClientQuotasResponse.EntryData entry) =>
        string.Join(",", entry.Entity.Select(e => $"{e.EntityType}={e.EntityName ?? "<default>"}")) + ":"
        + string.Join(",", entry.Values.Select(v => $"{v.Key}={v.Value}"));

    [Fact]
    public void QuotasAltered_AreDescribedByKafkasFilters_AndRefusedEntriesChangeNothing()
    {
        var altered = Alter(false,
            Entry("alice", "describe-app", ("producer_byte_rate", 1024, false)),
            Entry(null, "<default>", ("request_percentage", 12.5, false)),
            Entry("alice", null, ("bogus_rate", 5, false)),
            Entry("bob", null, ("consumer_byte_rate", 10.5, false)));

        Assert.Equal(
            [(short)KafkaError.None, (short)KafkaError.None, (short)KafkaError.InvalidRequest, (short)KafkaError.InvalidRequest],
            altered.Entries.Select(e => e.ErrorCode));
        Assert.Equal("Invalid configuration key bogus_rate", altered.Entries[2].ErrorMessage);
        Assert.Equal("consumer_byte_rate cannot be a fractional value.", altered.Entries[3].ErrorMessage);
        Assert.Equal("bob", Assert.Single(altered.Entries[3].Entity).EntityName);

        var alice = Describe(false, ("user", 0, "alice"));
        Assert.Equal("user=alice,client-id=describe-app:producer_byte_rate=1024", Show(Assert.Single(alice.Entries!)));
        Assert.Empty(Describe(true, ("user", 0, "alice")).Entries!);
        var defaults = Describe(true, ("client-id", 1, null));
        Assert.Equal("client-id=<default>:request_percentage=12.5", Show(Assert.Single(defaults.Entries!)));
        Assert.DoesNotContain(Describe(false, ("user", 2, null)).Entries!, e => e.Entity.Any(p => p.EntityName == "bob"));

        var refused = Describe(false, ("user", 0, "alice"), ("ip", 2, null));
        Assert.Equal((short)KafkaError.InvalidRequest, refused.ErrorCode);
        Assert.Equal("Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.", refused.ErrorMessage);

        // validate_only checks without changing; a removal takes the entity away once it has no key left.
        Assert.Equal((short)KafkaError.None, Assert.Single(Alter(true, Entry("alice", "describe-app", ("producer_byte_rate", 1, true))).Entries).ErrorCode);
        Assert.Single(Describe(false, ("user", 0, "alice")).Entries!);
        Alter(false, Entry("alice", "describe-app", ("producer_byte_rate", 1, true)), Entry(null, "<default>", ("request_percentage", 1, true)));
        Assert.Empty(Describe(false, ("user", 0, "alice")).Entries!);
        Assert.Empty(Describe(true, ("client-id", 1, null)).Entries!);
    }

    [Fact]
    public async Task AProducer_IsHeldToItsByteRate_WhileAnotherClientIsNot()
    {
        const double Rate = 200_000;
        Assert.Equal((short)KafkaError.None, Assert.Single(Alter(false, Entry(null, "quota-producer", ("producer_byte_rate", Rate, false))).Entries).ErrorCode);
        await broker.CreateAsync("quota-produced", 1);

        var (limitedRate, throttled) = await Task.Run(() => FlatOutProducer.Run(broker.BootstrapServers, "quota-produced", "quota-producer", TimeSpan.FromSeconds(18), QuotaBroker.Settled));

        // Then a client without a quota, alone (side by side, its load would slow the first on this machine's cores).
        var (freeRate, _) = await Task.Run(() => FlatOutProducer.Run(broker.BootstrapServers, "quota-produced", "free-producer", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)));
        output.WriteLine($"producer_byte_rate {Rate:F0}: held to {limitedRate:F0} B/s ({limitedRate / Rate:F3} x); without a quota {freeRate:F0} B/s");

        // The producer's steady rate, once its burst of (windows - 1) seconds is spent, over 14 s: never above its quota
        // (the broker counts whole requests, a few percent more than the values here). How close below it comes on a
        // machine that the other tests load is no test's business: quota-perf measures it on a quiet one.
        Assert.True(limitedRate >= 0.5 * Rate && limitedRate <= 1.1 * Rate, $"the producer ran at {limitedRate:F0} B/s after its burst, its quota is {Rate:F0}");
        Assert.True(throttled, "the producer was never told of a throttle time");
        Assert.True(freeRate > 2 * Rate, $"a producer without a quota ran at {freeRate:F0} B/s");
    }

    [Fact]
    public async Task AUsersQuota_HoldsItsSaslProducer_WhateverItsClientId()
    {
        const double Rate = 200_000;
        Assert.Equal((short)KafkaError.None, Assert.Single(Alter(false, Entry("quota-user", null, ("producer_byte_rate", Rate, false))).Entries).ErrorCode);
        await broker.CreateAsync("quota-user-produced", 1);

        var asUser = new ClientConfig
        {
            BootstrapServers = $"localhost:{broker.SaslPort}",
            ClientId = "any-client-" + Guid.NewGuid().ToString("N")[..6],
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = "quota-user",
            SaslPassword = "quota-secret",
        };
        try
        {
            // Measured over 14 s after the burst, as the client-id quota is: the client's 256 KB queue, acknowledged
            // or not at either end of the measure, weighs little more than half as much there as over 8 s, which once
            // read 1.106 x.
            var (rate, throttled) = await Task.Run(() => FlatOutProducer.Run(asUser, "quota-user-produced", TimeSpan.FromSeconds(18), QuotaBroker.Settled));

            // The same client id as the anonymous principal of the PLAINTEXT listener: no quota names it.
            var (anonymous, _) = await Task.Run(() => FlatOutProducer.Run(broker.BootstrapServers, "quota-user-produced", asUser.ClientId, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.5)));
            output.WriteLine($"user quota producer_byte_rate {Rate:F0}: held to {rate:F0} B/s ({rate / Rate:F3} x); the same client id anonymously {anonymous:F0} B/s");

            Assert.True(rate >= 0.5 * Rate && rate <= 1.1 * Rate, $"the user's producer ran at {rate:F0} B/s after its burst, its quota is {Rate:F0}");
            Assert.True(throttled, "the user's producer was never told of a throttle time");
            Assert.True(anonymous > 2 * Rate, $"the same client id without the user ran at {anonymous:F0} B/s");
        }
        finally
        {
            Alter(false, Entry("quota-user", null, ("producer_byte_rate", Rate, true)));
        }
    }

    [Fact]
    public async Task AConsumer_IsHeldToItsByteRate()
    {
        const double Rate = 250_000;
        Assert.Equal((short)KafkaError.None, Assert.Single(Alter(false, Entry(null, "quota-consumer", ("consumer_byte_rate", Rate, false))).Entries).ErrorCode);
        await broker.CreateAsync("quota-consumed", 1);
        // Batches of 16 KiB: a fetch always returns a partition's first batch whole, and a batch larger than what the
        // quota allows over its windows (here 500 KB) would be refused again and again, in Kafka too.
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5, BatchSize = 16_384 }).Build())
        {
            var value = new byte[RecordBytes];
            for (var i = 0; i < 5_000; i++)
            {
                producer.Produce("quota-consumed", new Message<Null, byte[]> { Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            ClientId = "quota-consumer",
            GroupId = "quota-consumers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,

            // Fetches of 64 KiB: a throttled fetch is answered empty and fetched again, so the rate a consumer reaches
            // is within a fetch of its quota; a fetch as large as the quota allows over its windows would get, in
            // Kafka too, one window's worth every windows + 1 (two thirds of the quota with three windows).
            FetchMaxBytes = 65_536,
            MaxPartitionFetchBytes = 65_536,
            MessageMaxBytes = 65_536,
        }).Build();
        consumer.Assign(new TopicPartitionOffset("quota-consumed", 0, Offset.Beginning));

        // Times count from the first record, so that a slow start on a loaded machine is not taken for the quota.
        Stopwatch? clock = null;
        long bytes = 0, bytesAtStart = -1;
        var steadyFrom = QuotaBroker.Settled;
        var deadline = Stopwatch.StartNew();
        while ((clock?.Elapsed ?? TimeSpan.Zero) < TimeSpan.FromSeconds(14) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                clock ??= Stopwatch.StartNew();
                bytes += record.Message.Value.Length;
            }

            if (bytesAtStart < 0 && clock?.Elapsed >= steadyFrom)
            {
                bytesAtStart = bytes;
            }
        }

        Assert.NotNull(clock);
        var span = (clock.Elapsed - steadyFrom).TotalSeconds;
        var rate = (bytes - bytesAtStart) / span;
        output.WriteLine($"consumer_byte_rate {Rate:F0}: held to {rate:F0} B/s ({rate / Rate:F3} x)");
        Assert.True(bytes < 5_000 * RecordBytes, "the consumer read the whole topic: nothing held it back");
        // Never above its quota, and not starved; how close it comes is quota-perf's to measure (a fetch that would take
        // the consumer over is answered empty and fetched again whole, so a consumer stays a little under its quota).
        // The quota is a rate over sampled windows, so a span measured from an arbitrary moment may hold one window's
        // worth of credit more, and one fetch of 64 KiB more at its end.
        const double WindowSeconds = 1; // quota.window.size.seconds, Kafka's default
        var ceiling = Rate + ((Rate * WindowSeconds) + 65_536) / span;
        Assert.True(rate >= 0.5 * Rate && rate <= ceiling, $"the consumer read {rate:F0} B/s after its burst ({bytes} bytes in all), its quota is {Rate:F0}, at most {ceiling:F0} over {span:F1} s");
    }

    [Fact]
    public void AThrottledConnection_IsMuted_ItsNextRequestAnsweredOnlyOnceTheThrottleTimeIsOver()
    {
        Assert.Equal((short)KafkaError.None, Assert.Single(Alter(false, Entry(null, "quota-muted", ("producer_byte_rate", 100, false))).Entries).ErrorCode);
        using var client = new RawKafkaClient(broker.KafkaPort, "quota-muted");

        // 100 bytes a second over three windows: one produce of a few hundred bytes is over, and the answer says so.
        var produced = client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = "quota-muted", PartitionData = [new() { Index = 0, Records = Batches.Make(1, valueSize: 400) }] }],
        });
        Assert.InRange(produced.ThrottleTimeMs, 100, 60_000);

        var clock = Stopwatch.StartNew();
        client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "test", ClientSoftwareVersion = "1" });
        Assert.True(clock.ElapsedMilliseconds >= produced.ThrottleTimeMs * 0.9, $"answered after {clock.ElapsedMilliseconds} ms of a {produced.ThrottleTimeMs} ms throttle");
    }

    [Fact]
    public void ABusyClient_IsThrottledForItsRequestTime_AnIdleOneIsNot()
    {
        Assert.Equal((short)KafkaError.None, Assert.Single(Alter(false, Entry(null, "quota-busy", ("request_percentage", 0.01, false))).Entries).ErrorCode);
        using var busy = new RawKafkaClient(broker.KafkaPort, "quota-busy");
        using var idle = new RawKafkaClient(broker.KafkaPort, "quota-idle");

        static MetadataResponse Metadata(RawKafkaClient client) =>
            client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null, AllowAutoTopicCreation = false });

        // 0.01 % of a second is 100 µs a second: a few requests spend it, and then the answer says how long to wait,
        // at most a window (Kafka's bound for request quotas); the connection is muted that long.
        var throttle = 0;
        for (var i = 0; i < 50 && throttle == 0; i++)
        {
            throttle = Metadata(busy).ThrottleTimeMs;
        }

        Assert.InRange(throttle, 1, 1_000);
        Assert.Equal(0, Metadata(idle).ThrottleTimeMs);
    }

    [Fact]
    public async Task ConnectionsOverTheirAddresssRate_AreClosed_UntilTheQuotaIsRemoved()
    {
        var ipDefault = new AlterClientQuotasRequest.EntryData
        {
            Entity = [new() { EntityType = "ip", EntityName = null }],
            Ops = [new() { Key = "connection_creation_rate", Value = 1 }],
        };
        using var admin = new RawKafkaClient(broker.KafkaPort, "quota-admin");
        AlterClientQuotasResponse AlterIp(bool remove)
        {
            ipDefault.Ops[0].Remove = remove;
            return admin.Call<AlterClientQuotasResponse>(ApiKey.AlterClientQuotas, 1, new AlterClientQuotasRequest { Entries = [ipDefault] });
        }

        Assert.Equal((short)KafkaError.None, Assert.Single(AlterIp(remove: false).Entries).ErrorCode);
        try
        {
            // One connection a second with three windows: the first few are accepted, then one is closed unanswered.
            var closed = 0;
            for (var i = 0; i < 6 && closed == 0; i++)
            {
                using var client = new RawKafkaClient(broker.KafkaPort, "quota-connector") { ReadTimeout = TimeSpan.FromSeconds(10) };
                client.Send(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "test", ClientSoftwareVersion = "1" });
                if (client.IsClosedByBroker())
                {
                    closed++;
                }
            }

            Assert.Equal(1, closed);
        }
        finally
        {
            AlterIp(remove: true);
        }

        // Without the quota, connections are accepted again (after the broker's copy is read, within a second).
        await Task.Delay(500);
        using var again = new RawKafkaClient(broker.KafkaPort, "quota-connector");
        Assert.Equal((short)KafkaError.None, again.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "test", ClientSoftwareVersion = "1" }).ErrorCode);
    }
}
