using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// Writes REST-produced records the way a producer does: partitioned as Kafka's default partitioner would (keys by
/// murmur2; records without a key and partition to one partition per request, chosen in turn), one record batch per
/// partition, appended to each partition grain at once. The batches are the broker's own, not a client's.
/// </summary>
internal sealed partial class RestRecordWriter(PartitionRouter router, TimeProvider time, ILogger<RestRecordWriter> logger)
{
    private int _nextUnkeyedPartition = -1;

    public async Task<IReadOnlyList<RestRecordResult>> WriteAsync(TopicDescription topic, IReadOnlyList<RestRecord> records)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var unkeyed = (Interlocked.Increment(ref _nextUnkeyedPartition) & int.MaxValue) % topic.PartitionCount;
        var partitions = records.Select(r => r.Partition ?? (r.Key is { } key ? KafkaPartitioner.PartitionFor(key, topic.PartitionCount) : unkeyed)).ToArray();
        var results = new RestRecordResult[records.Count];
        await Task.WhenAll(Enumerable.Range(0, records.Count).GroupBy(i => partitions[i]).Select(async group =>
        {
            var indexes = group.ToList();
            var builder = new RecordBatchBuilder();
            foreach (var i in indexes)
            {
                builder.Append(records[i].Timestamp ?? now, records[i].Key, records[i].Value, records[i].Headers);
            }

            var appended = await AppendAsync(topic.Name, group.Key, builder.Build());
            for (var n = 0; n < indexes.Count; n++)
            {
                var record = records[indexes[n]];
                results[indexes[n]] = appended.Error == ErrorCode.None
                    ? new RestRecordResult(group.Key, appended.BaseOffset + n, appended.LogAppendTime >= 0 ? appended.LogAppendTime : record.Timestamp ?? now, ErrorCode.None, null)
                    : new RestRecordResult(group.Key, -1, -1, appended.Error, appended.ErrorMessage);
            }
        }));
        return results;
    }

    private async Task<AppendResult> AppendAsync(string topic, int index, byte[] batch)
    {
        var (error, partition) = await router.RouteAnywhereAsync(topic, index);
        if (partition is null)
        {
            return new AppendResult(error, $"Partition {index} of {topic}: {error}", -1, -1, -1);
        }

        try
        {
            return await partition.AppendAsync(batch);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var code = PartitionRouter.ErrorFor(e);
            if (code == ErrorCode.UnknownServerError)
            {
                LogAppendFailed(logger, e, topic, index);
            }

            return new AppendResult(code, e.Message, -1, -1, -1);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "REST produce to {Topic}-{Partition} failed")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string topic, int partition);
}
