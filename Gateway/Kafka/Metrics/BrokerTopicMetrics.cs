using System.Diagnostics.Metrics;

namespace Tributary.Gateway.Kafka.Metrics;

/// <summary>
/// Kafka's <c>kafka.server:type=BrokerTopicMetrics</c> meters as counters with a <c>topic</c> tag: a Prometheus scrape
/// shows them under the names the JMX exporter gives Kafka's (<c>kafka_server_brokertopicmetrics_messagesin_total</c>,
/// ...), and their rate is Kafka's <c>...PerSec</c>; the all-topics figure is their sum. They are marked where Kafka
/// marks them: bytes and messages in once a partition has appended them (also when it then answered
/// NOT_ENOUGH_REPLICAS_AFTER_APPEND); a
/// produce or fetch counted per partition of its request that reached an existing partition (so that names a client
/// makes up add no series); a failure for every error but those Kafka's ReplicaManager leaves out (a client that asked
/// the wrong broker, a batch too large or corrupt, a storage failure); bytes rejected for batches over the size limit.
/// </summary>
public sealed class BrokerTopicMetrics
{
    /// <summary>The meter of Kafka's <c>kafka.server</c> domain.</summary>
    public const string MeterName = "kafka.server";

    private const string Prefix = "kafka.server.brokertopicmetrics.";

    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _bytesRejected;
    private readonly Counter<long> _replicationBytesOut;
    private readonly Counter<long> _totalProduceRequests;
    private readonly Counter<long> _failedProduceRequests;
    private readonly Counter<long> _totalFetchRequests;
    private readonly Counter<long> _failedFetchRequests;

    public BrokerTopicMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _messagesIn = meter.CreateCounter<long>(Prefix + "messagesin", description: "Messages appended to the log (MessagesInPerSec).");
        _bytesIn = meter.CreateCounter<long>(Prefix + "bytesin", description: "Bytes of record batches appended to the log (BytesInPerSec).");
        _bytesOut = meter.CreateCounter<long>(Prefix + "bytesout", description: "Bytes of records sent to consumers (BytesOutPerSec).");
        _bytesRejected = meter.CreateCounter<long>(Prefix + "bytesrejected", description: "Bytes of record batches refused as too large or invalid (BytesRejectedPerSec).");
        _replicationBytesOut = meter.CreateCounter<long>(Prefix + "replicationbytesout", description: "Bytes of records sent to follower replicas that fetch (ReplicationBytesOutPerSec).");
        _totalProduceRequests = meter.CreateCounter<long>(Prefix + "totalproducerequests", description: "Partitions of produce requests (TotalProduceRequestsPerSec).");
        _failedProduceRequests = meter.CreateCounter<long>(Prefix + "failedproducerequests", description: "Partitions of produce requests that failed (FailedProduceRequestsPerSec).");
        _totalFetchRequests = meter.CreateCounter<long>(Prefix + "totalfetchrequests", description: "Partitions of fetch requests (TotalFetchRequestsPerSec).");
        _failedFetchRequests = meter.CreateCounter<long>(Prefix + "failedfetchrequests", description: "Partitions of fetch requests that failed (FailedFetchRequestsPerSec).");
    }

    /// <summary>A partition's produce, whatever became of it.</summary>
    public void ProduceRequested(string topic) => _totalProduceRequests.Add(1, Topic(topic));

    /// <summary>A batch a partition appended, as received (<paramref name="bytes"/>).</summary>
    public void Appended(string topic, int bytes, int messages)
    {
        _bytesIn.Add(bytes, Topic(topic));
        _messagesIn.Add(messages, Topic(topic));
    }

    /// <summary>
    /// A partition's produce answered <paramref name="error"/>, counted as Kafka's ReplicaManager counts it: a batch over
    /// the size limit is bytes rejected (UnifiedLog's RecordTooLarge); every error is a failed produce but asking a broker
    /// that does not lead the partition, a batch too large or corrupt, and a storage failure.
    /// </summary>
    public void ProduceFailed(string topic, ErrorCode error, int bytes)
    {
        if (error == ErrorCode.MessageTooLarge)
        {
            _bytesRejected.Add(bytes, Topic(topic));
        }

        // Not failures either: what an acks=all wait answers after the append (the records are in the log).
        if (error is not (ErrorCode.None or ErrorCode.UnknownTopicOrPartition or ErrorCode.NotLeaderOrFollower or ErrorCode.MessageTooLarge
            or ErrorCode.RecordListTooLarge or ErrorCode.CorruptMessage or ErrorCode.KafkaStorageError
            or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.RequestTimedOut))
        {
            _failedProduceRequests.Add(1, Topic(topic));
        }
    }

    /// <summary>
    /// A partition of a fetch that reached an existing partition, answered with <paramref name="error"/>: failed only
    /// for an unexpected error, as Kafka's ReplicaManager counts (not for a stale leader or an offset out of range).
    /// </summary>
    public void FetchRequested(string topic, ErrorCode error)
    {
        _totalFetchRequests.Add(1, Topic(topic));
        if (error == ErrorCode.UnknownServerError)
        {
            _failedFetchRequests.Add(1, Topic(topic));
        }
    }

    /// <summary><paramref name="bytes"/> of a partition's records in a fetch response: to a consumer, or to a follower replica.</summary>
    public void Sent(string topic, long bytes, bool follower)
    {
        if (bytes > 0)
        {
            (follower ? _replicationBytesOut : _bytesOut).Add(bytes, Topic(topic));
        }
    }

    private static KeyValuePair<string, object?> Topic(string topic) => new("topic", topic);
}
