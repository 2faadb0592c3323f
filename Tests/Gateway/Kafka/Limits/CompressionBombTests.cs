using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>
/// A compressed batch of half a megabyte that inflates to 512 MiB: decompression stops at the topic's
/// <c>max.message.bytes</c>, so that many of them sent at once are refused (MESSAGE_TOO_LARGE) without the process's
/// memory growing by more than <see cref="MemoryBound"/>, and a producer on another topic is served meanwhile.
/// </summary>
public sealed class CompressionBombTests(DefaultLimitsBroker broker) : IClassFixture<DefaultLimitsBroker>
{
    /// <summary>The most the process's memory (working set) may grow by while the bombs are answered.</summary>
    private const long MemoryBound = 256L << 20;

    private const long Inflated = 512L << 20;
    private const int Connections = 8;
    private const int BombsPerConnection = 4;

    [Fact]
    public async Task CompressedBatchesThatInflatePastMaxMessageBytes_AreRefused_WithinABoundOfMemory()
    {
        await broker.CreateAsync("bombed", 1);
        var bomb = Bomb();
        Assert.True(bomb.Length < 1_048_588, $"the bomb ({bomb.Length} bytes) must pass the compressed size check");
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);

        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5);
            }
        });

        var codes = await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(() =>
        {
            using var client = new RawKafkaClient(broker.KafkaPort, $"bomber-{c}");
            return Enumerable.Range(0, BombsPerConnection).Select(_ => Assert.Single(Assert.Single(client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 30_000,
                TopicData = [new() { Name = "bombed", PartitionData = [new() { Index = 0, Records = bomb }] }],
            }).Responses).PartitionResponses)).ToList();
        })));
        await sampling.CancelAsync();
        await sampler;

        foreach (var answer in codes.SelectMany(c => c))
        {
            Assert.Equal((short)KafkaError.MessageTooLarge, answer.ErrorCode);
            Assert.Contains("max.message.bytes", answer.ErrorMessage, StringComparison.Ordinal);
        }

        var growth = peak - baseline;
        Console.WriteLine($"Compression bombs: {Connections * BombsPerConnection} batches of {bomb.Length} bytes inflating to {Inflated >> 20} MiB; working set grew by {growth >> 20} MiB at most (bound {MemoryBound >> 20} MiB)");
        Assert.True(growth < MemoryBound, $"the working set grew by {growth >> 20} MiB, over {MemoryBound >> 20} MiB");
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    /// <summary>A gzip batch of one record whose records section is <see cref="Inflated"/> zero bytes, compressed.</summary>
    private static byte[] Bomb()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (long written = 0; written < Inflated; written += zeros.Length)
            {
                gzip.Write(zeros);
            }
        }

        var template = new RecordBatchBuilder { Compression = CompressionType.Gzip }.Append(1_700_000_000_000, null, [1], null).Build();
        var batch = new byte[RecordBatch.HeaderSize + compressed.Length];
        template.AsSpan(0, RecordBatch.HeaderSize).CopyTo(batch);
        compressed.ToArray().CopyTo(batch, RecordBatch.HeaderSize);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatch.BatchLengthOffset), batch.Length - RecordBatch.LogOverhead);
        RecordBatch.WriteCrc(batch);
        return batch;
    }
}
