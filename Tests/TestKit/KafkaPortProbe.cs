using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Tests.TestKit;

/// <summary>What a broker's Kafka port answers, asked with the bare protocol: when it first answers, and the log end offsets of a topic.</summary>
public static class KafkaPortProbe
{
    /// <summary>
    /// Sends ApiVersions to <paramref name="port"/> until one is answered (the port may not be open yet); returns the
    /// time waited. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilAnsweredAsync(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new RawKafkaClient(port);
                client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "probe", ClientSoftwareVersion = "1" });
                return watch.Elapsed;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                if (watch.Elapsed > timeout)
                {
                    throw new TimeoutException($"The Kafka port {port} did not answer within {timeout}.", e);
                }
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// ListOffsets (latest) for partitions 0 to <paramref name="partitions"/> - 1 of <paramref name="topic"/>, in one
    /// request: each partition's error code and log end offset. A partition still recovering holds the answer, so the
    /// read waits up to <paramref name="timeout"/> (2 minutes when not given).
    /// </summary>
    public static IReadOnlyList<(short Error, long Offset)> LatestOffsets(int port, string topic, int partitions, TimeSpan? timeout = null)
    {
        using var client = new RawKafkaClient(port) { ReadTimeout = timeout ?? TimeSpan.FromMinutes(2) };
        var response = client.Call<ListOffsetsResponse>(ApiKey.ListOffsets, 5, new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = topic,
                    Partitions = [.. Enumerable.Range(0, partitions).Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = -1 })],
                },
            ],
        });
        var byPartition = response.Topics.Single().Partitions.ToDictionary(p => p.PartitionIndex, p => (p.ErrorCode, p.Offset));
        return [.. Enumerable.Range(0, partitions).Select(p => byPartition[p])];
    }
}
