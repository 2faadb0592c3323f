using System.Text;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>
/// Traces as an OpenTelemetry collector receives them over OTLP/HTTP: a produce and a fetch made by Confluent.Kafka are
/// each one trace, from the gateway's request span through the grain calls (Orleans' W3C trace context propagation)
/// down to the log's append and read; the client's own trace headers on its records come back as it sent them; the
/// silo's metrics and logs go over the same exporter.
/// </summary>
public sealed class TracingTests(OtlpBroker broker) : IClassFixture<OtlpBroker>
{
    private const string KafkaScope = "Tributary.Kafka";
    private const string LogScope = "Tributary.Log";
    private const string OrleansScope = "Microsoft.Orleans.Application";

    [Fact]
    public async Task ProduceAndFetch_AreTracedFromTheGatewayThroughTheGrainCallToTheLog_AndRecordTraceHeadersAreUntouched()
    {
        const string topic = "traced";
        await broker.CreateAsync(topic, 1);

        // A client's own trace context, as OpenTelemetry's Kafka instrumentations write it into a record's headers.
        var clientTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"u8.ToArray();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build())
        {
            await producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = "k",
                Value = "traced value",
                Headers = new Headers { { "traceparent", clientTraceParent }, { "tracestate", "vendor=opaque"u8.ToArray() } },
            });
        }

        ConsumeResult<string, string> consumed;
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "traced-readers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build())
        {
            consumer.Subscribe(topic);
            consumed = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new Xunit.Sdk.XunitException("Nothing consumed.");
        }

        Assert.Equal("traced value", consumed.Message.Value);
        Assert.Equal(clientTraceParent, consumed.Message.Headers.GetLastBytes("traceparent"));
        Assert.Equal("vendor=opaque", Encoding.UTF8.GetString(consumed.Message.Headers.GetLastBytes("tracestate")));

        var spans = await broker.WaitForSpansAsync(
            all => ChainFound(all, "Produce", "log append") && ChainFound(all, "Fetch", "log read"),
            "a Produce and a Fetch traced down to the log");
        foreach (var (request, logWork) in new[] { ("Produce", "log append"), ("Fetch", "log read") })
        {
            var chain = Chain(spans, request, logWork)!;
            var root = chain[^1];
            Assert.Equal(KafkaScope, root.Scope);
            Assert.Equal(OtlpSpan.ServerKind, root.Kind);
            Assert.Equal("", root.ParentSpanId);
            Assert.Equal("kafka", root.Attribute("messaging.system"));
            Assert.Equal(topic, root.Attribute("messaging.destination.name"));
            Assert.Equal(LogScope, chain[0].Scope);
            Assert.Equal($"{topic}-0", chain[0].Attribute("kafka.partition.log"));

            // Between them, the grain call: the gateway's outgoing call and the partition grain's incoming one.
            Assert.Contains(chain, s => s.Scope == OrleansScope && s.Kind == OtlpSpan.ClientKind);
            Assert.Contains(chain, s => s.Scope == OrleansScope && s.Kind == OtlpSpan.ServerKind);
            Assert.All(chain, s => Assert.Equal(root.TraceId, s.TraceId));

            // The broker starts its own trace: the client's context on the record is data, not the request's parent.
            Assert.NotEqual("4bf92f3577b34da6a3ce929d0e0e4736", root.TraceId);
        }

        var appended = Chain(spans, "Produce", "log append")![0];
        Assert.Equal("0", appended.Attribute("kafka.append.base_offset"));
        Assert.Equal("1", appended.Attribute("kafka.append.records"));
        Assert.Contains("tributary-traced", broker.Receiver.ServiceNames);
    }

    [Fact]
    public async Task EveryTrace_StartsAtAKafkaRequest_NotAtTheSilosOwnGrainCallsOrLogWork()
    {
        await broker.CreateAsync("traced-roots", 2);

        // A group with a committed offset, so that the silo's lag rounds read its partitions every second.
        using (var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "traced-roots-lagging",
            EnableAutoCommit = false,
        }).Build())
        {
            consumer.Commit([new TopicPartitionOffset("traced-roots", 0, 0)]);
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                producer.Produce("traced-roots", new Message<Null, string> { Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        // Wait for spans from the silo's own timers and background services to have had time to be exported too.
        var spans = await broker.WaitForSpansAsync(all => all.Any(s => s.Name == "Produce" && s.Attribute("messaging.destination.name") == "traced-roots"), "the produce");
        await Task.Delay(TimeSpan.FromSeconds(3));
        spans = broker.Receiver.Spans;
        var roots = spans.Where(s => s.ParentSpanId == "").ToList();
        Assert.NotEmpty(roots);
        Assert.All(roots, root =>
        {
            Assert.Equal(KafkaScope, root.Scope);
            Assert.Equal("kafka", root.Attribute("rpc.system"));
        });

        // Nor is any span kept without its request: every one belongs to a request's trace (the sampler, always_on
        // here, would otherwise keep what runs under a timer's dropped root).
        var requestTraces = roots.Select(r => r.TraceId).ToHashSet();
        Assert.All(spans, span => Assert.True(requestTraces.Contains(span.TraceId), $"{span.Scope}:{span.Name} is in no request's trace"));
    }

    [Fact]
    public async Task MetricsAndLogs_GoOverTheSameOtlpExporter()
    {
        await broker.CreateAsync("otlp-metered", 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("otlp-metered", new Message<Null, string> { Value = "v" });
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline
               && !(broker.Receiver.MetricNames.Contains("kafka.server.brokertopicmetrics.messagesin") && broker.Receiver.LogRecords > 0))
        {
            await Task.Delay(250);
        }

        Assert.Contains("kafka.server.brokertopicmetrics.messagesin", broker.Receiver.MetricNames);
        Assert.Contains(broker.Receiver.MetricNames, name => name.StartsWith("kafka.network.requestmetrics.", StringComparison.Ordinal));
        Assert.True(broker.Receiver.LogRecords > 0, "No log record was exported over OTLP.");
    }

    private static bool ChainFound(IReadOnlyCollection<OtlpSpan> spans, string request, string logWork) => Chain(spans, request, logWork) is not null;

    /// <summary>
    /// A span named <paramref name="logWork"/> whose ancestors, followed by parent id, reach a request span named
    /// <paramref name="request"/>: that chain, the log span first and the request span last.
    /// </summary>
    private static List<OtlpSpan>? Chain(IReadOnlyCollection<OtlpSpan> spans, string request, string logWork)
    {
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        foreach (var start in spans.Where(s => s.Name == logWork && s.Attribute("kafka.partition.log") == "traced-0"))
        {
            var chain = new List<OtlpSpan> { start };
            var current = start;
            while (current.ParentSpanId != "" && byId.TryGetValue(current.ParentSpanId, out var parent) && chain.Count < 16)
            {
                chain.Add(parent);
                current = parent;
            }

            if (current.Name == request && current.ParentSpanId == "")
            {
                return chain;
            }
        }

        return null;
    }
}
