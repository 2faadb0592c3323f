using System.Buffers.Binary;
using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Transactions;

/// <summary>
/// Producers that speak the protocol themselves, the way the Java producer sends: each connection keeps up to 5
/// produce requests in flight (the Java client's default, plain or idempotent), each request a batch for every
/// partition, acks=all. Idempotent ones take a producer id and number their batches. Unlike librdkafka, which lets an
/// idempotent producer have one request per partition in flight, both modes here differ only in what the broker must
/// check, so their ratio is the broker's cost of idempotence.
/// </summary>
internal static class RawProducePerf
{
    private const int InFlight = 5;

    /// <summary>Records per second over all producers.</summary>
    public static double Run(int port, string topic, int partitions, int producers, long recordsPerProducer, int recordSize, int batchBytes, bool idempotent) =>
        producers * recordsPerProducer / RunProducers(producers, _ => Produce(port, topic, partitions, recordsPerProducer, recordSize, batchBytes, idempotent), "partition appends");

    /// <summary>Runs each producer on its own thread and returns the seconds they took; <paramref name="produce"/> returns its failures.</summary>
    internal static double RunProducers(int producers, Func<int, long> produce, string failuresAre)
    {
        var watch = Stopwatch.StartNew();
        var failures = 0L;
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() => Interlocked.Add(ref failures, produce(p)))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var seconds = watch.Elapsed.TotalSeconds;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} {failuresAre} failed.");
        }

        return seconds;
    }

    /// <summary>Sends the records and returns how many partition appends failed.</summary>
    private static long Produce(int port, string topic, int partitions, long records, int recordSize, int batchBytes, bool idempotent)
    {
        using var client = new RawKafkaClient(port);
        var (producerId, epoch) = (-1L, (short)-1);
        if (idempotent)
        {
            var init = client.Call<InitProducerIdResponse>(ApiKey.InitProducerId, 4, new InitProducerIdRequest { TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 });
            (producerId, epoch) = (init.ProducerId, init.ProducerEpoch);
        }

        var perBatch = Math.Max(1, batchBytes / (recordSize + 8));
        var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = idempotent ? 0 : -1 };
        var value = new byte[recordSize];
        for (var i = 0; i < perBatch; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value);
        }

        var template = builder.Build();
        var requests = (int)Math.Ceiling(records / (double)(perBatch * partitions));
        using var slots = new SemaphoreSlim(InFlight);
        long failed = 0;
        var receiver = new Thread(() =>
        {
            for (var i = 0; i < requests; i++)
            {
                var (_, response) = client.Receive<ProduceResponse>(ApiKey.Produce, 9);
                failed += response.Responses.Sum(t => t.PartitionResponses.Count(p => p.ErrorCode != 0));
                slots.Release();
            }
        });
        receiver.Start();

        var sequences = new int[partitions];
        for (var i = 0; i < requests; i++)
        {
            slots.Wait();
            client.Send(ApiKey.Produce, 9, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 30_000,
                TopicData = [new()
                {
                    Name = topic,
                    PartitionData = Enumerable.Range(0, partitions).Select(p => new ProduceRequest.PartitionProduceData
                    {
                        Index = p,
                        Records = NextBatch(template, idempotent ? sequences[p] : -1),
                    }).ToList(),
                }],
            });
            for (var p = 0; p < partitions && idempotent; p++)
            {
                sequences[p] += perBatch;
            }
        }

        receiver.Join();
        return failed;
    }

    /// <summary>A copy of the template with its base sequence set and its CRC recomputed (in both modes, so the client's work is the same).</summary>
    internal static byte[] NextBatch(byte[] template, int baseSequence)
    {
        var batch = template.AsSpan().ToArray();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatch.BaseSequenceOffset), baseSequence);
        RecordBatch.WriteCrc(batch);
        return batch;
    }
}
