using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// Produce load that the client does not bound: each connection sends one pre-built Produce request (a batch of
/// <c>batchBytes</c> for each of its partitions) again and again, a window of them in flight, and counts the
/// acknowledged batches' bytes; the responses are read for their error codes only.
/// </summary>
internal static class RawProducer
{
    private const short Version = 9;

    public static async Task<long> RunAsync(
        int port, string topic, int partitions, int recordSize, int batchBytes, short acks, int connections, int inFlight, TimeSpan duration)
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
        var tasks = Enumerable.Range(0, connections).Select(async c =>
        {
            var owned = Enumerable.Range(0, partitions).Where(p => p % connections == c).ToList();
            if (owned.Count == 0)
            {
                return;
            }

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
