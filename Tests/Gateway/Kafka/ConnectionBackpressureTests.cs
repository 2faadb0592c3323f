using Microsoft.Extensions.DependencyInjection;
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tributary.Grains.KafkaFormats.Quotas;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Gateway.Kafka.Security;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// The Kafka connection handler over in-memory pipes, with a Produce handler that answers only when the test lets it:
/// once the silo's budget of queued request bytes is spent, connections stop taking requests from their input and
/// wait; when responses free bytes they go on, and every request is answered.
/// </summary>
public sealed class ConnectionBackpressureTests
{
    private const int RequestsPerConnection = 10;

    [Fact]
    public async Task WithTheBudgetSpent_ConnectionsStopReading_AndWhenResponsesFreeBytes_EveryRequestIsAnswered()
    {
        var request = Frames(1, 1)[0].Length - 4;
        var budget = new QueuedRequestBytes(3 * request + 1); // a fourth request goes past it, no fifth
        var produce = new GatedProduceHandler();
        var handler = Handler(budget, produce);
        var connections = Enumerable.Range(0, 3).Select(c => new TestConnection(handler, Frames(c * 100, RequestsPerConnection))).ToList();

        // Each connection would read up to four requests ahead (one handled, two queued, one assembled); the budget
        // lets four in across all three, and the connections that find it spent wait instead of reading.
        await Wait.UntilAsync(() => budget.Held == 4 * request && budget.Waiting >= 2, TimeSpan.FromSeconds(30),
            "four requests admitted and the other connections waiting");
        Assert.Equal(4 * request, budget.PeakHeld);

        produce.Open();
        foreach (var (connection, c) in connections.Select((connection, c) => (connection, c)))
        {
            var answered = await connection.ReceiveAsync(RequestsPerConnection);
            Assert.Equal(Enumerable.Range(c * 100, RequestsPerConnection), answered);
        }

        await Task.WhenAll(connections.Select(c => c.CloseAsync()));
        Assert.Equal(0, budget.Held);
        Assert.True(budget.PeakHeld <= budget.Limit + request, $"held {budget.PeakHeld} with a budget of {budget.Limit}");
        Assert.True(budget.Waits > 0);
    }

    [Fact]
    public async Task ARequestLargerThanTheWholeBudget_IsServed()
    {
        var budget = new QueuedRequestBytes(100);
        var produce = new GatedProduceHandler();
        produce.Open();
        var connection = new TestConnection(Handler(budget, produce), Frames(7, 2, recordBytes: 10_000));

        Assert.Equal([7, 8], await connection.ReceiveAsync(2));
        await connection.CloseAsync();
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public async Task AConnectionDroppedWithRequestsUnanswered_GivesTheirBytesBack()
    {
        var budget = new QueuedRequestBytes(1_000_000);
        var produce = new GatedProduceHandler();
        var connection = new TestConnection(Handler(budget, produce), Frames(0, 3));
        await Wait.UntilAsync(() => budget.Held > 0, TimeSpan.FromSeconds(30), "requests admitted");

        await connection.AbortAsync();

        Assert.Equal(0, budget.Held);
    }

    private static KafkaConnectionHandler Handler(QueuedRequestBytes budget, GatedProduceHandler produce) =>
        new(new KafkaApis([produce]), Options.Create(new KafkaListenerOptions()),
            new SaslMechanisms(Options.Create(new KafkaSaslOptions()), null!, null!, TimeProvider.System), Options.Create(new KafkaSaslOptions()), budget,
            new Tributary.Gateway.Kafka.Acls.BrokerAuthorizer(null!, Options.Create(new Tributary.Gateway.Kafka.Acls.KafkaAuthorizerOptions()), NullLogger<Tributary.Gateway.Kafka.Acls.BrokerAuthorizer>.Instance),
            Tributary.Gateway.Kafka.Quotas.ClientQuotas.Reading(
                _ => Task.FromResult<ClientQuotaSnapshot?>(new(1, [])), Options.Create(new KafkaListenerOptions()), NullLogger<Tributary.Gateway.Kafka.Quotas.ClientQuotas>.Instance),
            new Tributary.Gateway.Kafka.Metrics.RequestMetrics(Meters), new Tributary.Gateway.Kafka.Metrics.SocketServerMetrics(Meters),
            NullLogger<KafkaConnectionHandler>.Instance);

    /// <summary>Meters no one listens to, as in a silo with its metrics off.</summary>
    private static readonly System.Diagnostics.Metrics.IMeterFactory Meters =
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    private static List<byte[]> Frames(int firstCorrelationId, int count, int recordBytes = 200) =>
        Enumerable.Range(firstCorrelationId, count).Select(id => RawKafkaClient.Frame(ApiKey.Produce, 9, id, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData = [new() { Name = "t", PartitionData = [new() { Index = 0, Records = new byte[recordBytes] }] }],
        })).ToList();

    /// <summary>Answers Produce with an empty response once <see cref="Open"/> is called.</summary>
    private sealed class GatedProduceHandler : KafkaApiHandler<ProduceRequest, ProduceResponse>
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ApiKey ApiKey => ApiKey.Produce;

        public override short MinVersion => 3;

        public override short MaxVersion => 11;

        public void Open() => _gate.TrySetResult();

        protected override async Task<ProduceResponse?> HandleAsync(ProduceRequest body, KafkaRequest request, CancellationToken cancellationToken)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return new ProduceResponse();
        }
    }

    /// <summary>One connection over in-memory pipes, its requests written into its input at once.</summary>
    private sealed class TestConnection
    {
        private readonly Pipe _input = new();
        private readonly Pipe _output = new();
        private readonly DefaultConnectionContext _context;
        private readonly Task _running;

        public TestConnection(KafkaConnectionHandler handler, IEnumerable<byte[]> frames)
        {
            foreach (var frame in frames)
            {
                _input.Writer.Write(frame);
            }

            _input.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            _context = new DefaultConnectionContext(Guid.NewGuid().ToString("N"), new Duplex(_input.Reader, _output.Writer), new Duplex(_output.Reader, _input.Writer));
            _context.Features.Set(new KafkaListenerFeature(KafkaListeners.From(new KafkaListenerOptions())[0]));
            _running = Task.Run(() => handler.OnConnectedAsync(_context));
        }

        /// <summary>Reads <paramref name="count"/> Produce v9 responses; their correlation ids, in order.</summary>
        public async Task<List<int>> ReceiveAsync(int count)
        {
            var ids = new List<int>();
            while (ids.Count < count)
            {
                var result = await _output.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                var buffer = result.Buffer;
                while (TryTakeFrame(ref buffer, out var frame))
                {
                    var reader = new KafkaReader(frame);
                    var header = new ResponseHeader();
                    header.Read(ref reader, RequestHeaders.ResponseHeaderVersion(ApiKey.Produce, 9));
                    new ProduceResponse().Read(ref reader, 9);
                    Assert.True(reader.IsAtEnd);
                    ids.Add(header.CorrelationId);
                }

                _output.Reader.AdvanceTo(buffer.Start, buffer.End);
                Assert.False(result.IsCompleted && ids.Count < count, "the connection closed before every request was answered");
            }

            return ids;
        }

        public async Task CloseAsync()
        {
            await _input.Writer.CompleteAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(30));
        }

        /// <summary>The client goes away (a reset), as Kestrel reports it: requests still being handled are abandoned.</summary>
        public async Task AbortAsync()
        {
            _context.Abort();
            await _running.WaitAsync(TimeSpan.FromSeconds(30));
        }

        private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out byte[] frame)
        {
            frame = [];
            Span<byte> size = stackalloc byte[4];
            if (buffer.Length < 4)
            {
                return false;
            }

            buffer.Slice(0, 4).CopyTo(size);
            var length = BinaryPrimitives.ReadInt32BigEndian(size);
            if (buffer.Length < 4 + length)
            {
                return false;
            }

            frame = buffer.Slice(4, length).ToArray();
            buffer = buffer.Slice(4 + length);
            return true;
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
