using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// Produce load that the client does not bound: each connection, to the leader of its partitions, sends one pre-built
/// Produce request (a batch of <c>batchBytes</c> for each of its partitions) again and again, a window of them in
/// flight, and counts the acknowledged batches' bytes; the responses are read for their error codes only.
/// </summary>
internal static class RawProducer
{
    private const short Version = 9;

    /// <param name="leaders">Each partition's leader's Kafka port; <paramref name="connections"/> connections to each leader.</param>
    public static async Task<long> RunAsync(
        IReadOnlyDictionary<int, int> leaders, string topic, int recordSize, int batchBytes, short acks, int connections, int inFlight, TimeSpan duration)
    {
        var records = Math.Max(1, batchBytes / recordSize);
        var value = new byte[recordSize];
        Random.Shared.NextBytes(value);
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < records; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value, null);
        }

        var batch = builder.Build();
        var acknowledged = 0L;
        var failures = 0L;
        using var stop = new CancellationTokenSource(duration);
        var assignments = leaders.GroupBy(l => l.Value).SelectMany(broker =>
        {
            var led = broker.Select(l => l.Key).Order().ToList();
            return Enumerable.Range(0, connections).Select(c => (Port: broker.Key, Owned: led.Where((_, i) => i % connections == c).ToList()));
        });
        var tasks = assignments.Where(a => a.Owned.Count > 0).Select(async (assignment, c) =>
        {
            var (port, owned) = assignment;

            var request = RawKafkaClient.Frame(ApiKey.Produce, Version, c, new ProduceRequest
            {
                Acks = acks,
                TimeoutMs = 30_000,
                TopicData = [new() { Name = topic, PartitionData = [.. owned.Select(p => new ProduceRequest.PartitionProduceData { Index = p, Records = batch })] }],
            });
            await using var connection = await RawConnection.OpenAsync(port, inFlight);
            var sent = 0L;
            var receiving = Task.Run(async () =>
            {
                for (var received = 0L; ; received++)
                {
                    if (stop.IsCancellationRequested && received == Interlocked.Read(ref sent))
                    {
                        return;
                    }

                    var frame = await connection.ReceiveAsync(CancellationToken.None);
                    var reader = new KafkaReader(frame);
                    new ResponseHeader().Read(ref reader, RequestHeaders.ResponseHeaderVersion(ApiKey.Produce, Version));
                    var response = new ProduceResponse();
                    response.Read(ref reader, Version);
                    foreach (var partition in response.Responses.SelectMany(t => t.PartitionResponses))
                    {
                        if (partition.ErrorCode == 0)
                        {
                            Interlocked.Add(ref acknowledged, batch.Length);
                        }
                        else
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                }
            });
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await connection.SendAsync(request, stop.Token);
                    Interlocked.Increment(ref sent);
                }
            }
            catch (OperationCanceledException)
            {
            }

            await receiving;
        });
        await Task.WhenAll(tasks);
        if (failures > 0)
        {
            Console.WriteLine($"  {failures} partition appends failed");
        }

        return acknowledged;
    }
}
