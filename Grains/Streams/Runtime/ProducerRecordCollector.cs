using System.Collections.Concurrent;
using Confluent.Kafka;
using Tributary.Grains.Streams.Internals;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// A thread's output through its producer (Kafka's <c>RecordCollectorImpl</c>): records are sent without waiting;
/// the first failed delivery is kept and thrown at the next send or commit, so that offsets are never committed
/// past output that was lost.
/// </summary>
internal sealed class ProducerRecordCollector(IProducer<byte[]?, byte[]?> producer, Func<string, int> partitionCount) : IRecordCollector
{
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentDictionary<TopicPartition, long> _lastOffsets = new();

    public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition)
    {
        ThrowIfFailed();
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) };
        var destination = new TopicPartition(topic, partition is { } p ? new Partition(p) : Partition.Any);
        while (true)
        {
            try
            {
                producer.Produce(destination, message, OnDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The producer's queue is full: let it deliver some before trying again.
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public int PartitionCount(string topic) => partitionCount(topic);

    public long? LastOffset(string topic, int partition) =>
        _lastOffsets.TryGetValue(new TopicPartition(topic, partition), out var offset) ? offset : null;

    /// <summary>Waits until every record sent so far is acknowledged; throws the first failure.</summary>
    public void Flush(TimeSpan timeout)
    {
        if (producer.Flush(timeout) > 0)
        {
            throw new StreamsException($"Records were still unacknowledged after {timeout.TotalSeconds:0} s");
        }

        ThrowIfFailed();
    }

    public void ThrowIfFailed()
    {
        if (_failures.TryPeek(out var failure))
        {
            throw new StreamsException("Error encountered sending record to topic: " + failure.Message, failure);
        }
    }

    private void OnDelivery(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.Code is ErrorCode.Local_PurgeQueue or ErrorCode.Local_PurgeInflight)
        {
            // Purged by an aborted transaction, whose output is meant to go; its tasks start again from their last commit.
            return;
        }

        if (report.Error.IsError)
        {
            _failures.Enqueue(new KafkaException(report.Error));
        }
        else
        {
            _lastOffsets.AddOrUpdate(report.TopicPartition, report.Offset.Value, (_, known) => Math.Max(known, report.Offset.Value));
        }
    }
}
