using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// A Confluent.Kafka consumer in a group, polling on its own thread: records what it processed, what it was assigned
/// and what was revoked from it. Offsets are stored after processing and committed by librdkafka (also when partitions
/// are revoked), the at-least-once pattern; the tests check that it comes out exactly once.
/// </summary>
public sealed class GroupConsumer : IDisposable
{
    private readonly IConsumer<string, string> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private volatile bool _closeOnStop = true;

    public GroupConsumer(string bootstrap, string group, string topic, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 200,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        };
        configure?.Invoke(config);
        _consumer = new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                foreach (var p in partitions)
                {
                    Assigned.Add(p);
                }
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                foreach (var p in partitions)
                {
                    Revoked.Add(p.TopicPartition);
                    Assigned.Remove(p.TopicPartition);
                }
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                foreach (var p in partitions)
                {
                    Lost.Add(p.TopicPartition);
                    Assigned.Remove(p.TopicPartition);
                }
            })
            .Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(Poll) { IsBackground = true };
        _thread.Start();
    }

    public ConcurrentBag<string> Processed { get; } = [];

    public ConcurrentBag<TopicPartition> Revoked { get; } = [];

    /// <summary>Partitions the client gave up without a revocation: its session ended or the group no longer knew it.</summary>
    public ConcurrentBag<TopicPartition> Lost { get; } = [];

    /// <summary>What the consumer holds now (kept by the rebalance callbacks, which run on the polling thread).</summary>
    public SynchronizedSet Assigned { get; } = new();

    public string MemberId => _consumer.MemberId;

    /// <summary>Stops without leaving the group, as a static member that restarts, or a process that dies, does.</summary>
    public void Abandon()
    {
        _closeOnStop = false;
        Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        if (_closeOnStop)
        {
            _consumer.Close();
        }

        _consumer.Dispose();
    }

    private void Poll()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
                {
                    Processed.Add(record.Message.Value);
                    _consumer.StoreOffset(record);
                }
            }
            catch (KafkaException)
            {
                // A store for a partition just revoked: the next owner reads it again from the last commit.
            }
        }
    }

    /// <summary>A set shared between the polling thread and the test.</summary>
    public sealed class SynchronizedSet
    {
        private readonly HashSet<TopicPartition> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public TopicPartition[] Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(TopicPartition item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Remove(TopicPartition item)
        {
            lock (_items)
            {
                _items.Remove(item);
            }
        }
    }
}
