using System.Buffers.Binary;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// Fetch load that the client does not bound: each connection fetches its partitions (full fetches, no session) from
/// where the last response ended, back to the start once it reaches the end, so the same records are read again from
/// the page cache for as long as it runs; a response's records are counted as bytes, and only the batch headers are
/// read, for the next offsets.
/// </summary>
internal static class RawFetcher
{
    private const short Version = 12;

    /// <param name="leaders">Each partition's leader's Kafka port; <paramref name="connections"/> connections to each leader.</param>
    public static async Task<long> RunAsync(IReadOnlyDictionary<int, int> leaders, string topic, int connections, int partitionMaxBytes, TimeSpan duration)
    {
        var fetched = 0L;
        var deadline = DateTime.UtcNow + duration;
        var assignments = leaders.GroupBy(l => l.Value).SelectMany(broker =>
        {
            var led = broker.Select(l => l.Key).Order().ToList();
            return Enumerable.Range(0, connections).Select(c => (Port: broker.Key, Owned: led.Where((_, i) => i % connections == c).ToList()));
        });
        var tasks = assignments.Where(a => a.Owned.Count > 0).Select(async (assignment, c) =>
        {
            var port = assignment.Port;
            var offsets = assignment.Owned.ToDictionary(p => p, _ => 0L);

            await using var connection = await RawConnection.OpenAsync(port, inFlight: 1);
            while (DateTime.UtcNow < deadline)
            {
                var request = RawKafkaClient.Frame(ApiKey.Fetch, Version, c, new FetchRequest
                {
                    MaxWaitMs = 100,
                    MinBytes = 1,
                    MaxBytes = partitionMaxBytes * offsets.Count,
                    Topics = [new() { Topic = topic, Partitions = [.. offsets.Select(o => new FetchRequest.FetchPartition { Partition = o.Key, FetchOffset = o.Value, PartitionMaxBytes = partitionMaxBytes })] }],
                });
                await connection.SendAsync(request, CancellationToken.None);
                var frame = await connection.ReceiveAsync(CancellationToken.None);
                var reader = new KafkaReader(frame);
                new ResponseHeader().Read(ref reader, RequestHeaders.ResponseHeaderVersion(ApiKey.Fetch, Version));
                var response = new FetchResponse();
                response.Read(ref reader, Version);
                foreach (var partition in response.Responses.SelectMany(t => t.Partitions))
                {
                    var records = partition.Records ?? ReadOnlyMemory<byte>.Empty;
                    var next = NextOffset(records.Span);
                    if (partition.ErrorCode != 0 || next < 0 || next >= partition.HighWatermark)
                    {
                        // At the end (or nothing whole came back): read from the start again.
                        next = next < 0 || next >= partition.HighWatermark ? 0 : next;
                    }

                    Interlocked.Add(ref fetched, records.Length);
                    offsets[partition.PartitionIndex] = next;
                }
            }
        });
        await Task.WhenAll(tasks);
        return fetched;
    }

    /// <summary>The offset after the last whole batch (base offset at 0, length at 8, last offset delta at 23), or -1.</summary>
    private static long NextOffset(ReadOnlySpan<byte> records)
    {
        var next = -1L;
        while (records.Length >= 61)
        {
            var length = 12 + BinaryPrimitives.ReadInt32BigEndian(records[8..]);
            if (length > records.Length)
            {
                break;
            }

            next = BinaryPrimitives.ReadInt64BigEndian(records) + BinaryPrimitives.ReadInt32BigEndian(records[23..]) + 1;
            records = records[length..];
        }

        return next;
    }
}
