using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Internals;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// The thread that keeps an instance's global stores (Kafka's <c>GlobalStreamThread</c>): a consumer outside the
/// application's group, assigned every partition of the global topics from their start. On start it reads each to the
/// end it had then (the stream threads start only after that), then follows the topics as long as the instance runs.
/// </summary>
internal sealed class GlobalStreamThread
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestoreDeadline = TimeSpan.FromMinutes(5);

    private readonly GlobalStateUpdater _updater;
    private readonly StreamsConfig _config;
    private readonly IAdminClient _admin;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public GlobalStreamThread(Topology topology, StreamsConfig config, IAdminClient admin, string clientId, ILogger logger)
    {
        _updater = new GlobalStateUpdater(topology, config, logger);
        _config = config;
        _admin = admin;
        _logger = logger;
        _name = clientId + "-GlobalStreamThread";
    }

    public IReadOnlyDictionary<string, State.IStateStore> Stores => _updater.Stores;

    /// <summary>Completes when the thread ends; faulted with what made it fail.</summary>
    public Task Completion => _completion.Task;

    public Exception? Failure { get; private set; }

    /// <summary>Starts the thread and waits until the global stores hold everything their topics held at the start.</summary>
    public Task StartAsync()
    {
        _thread = new Thread(Run) { Name = _name, IsBackground = true };
        _thread.Start();
        return _restored.Task;
    }

    public void Shutdown() => _stop.Cancel();

    private void Run()
    {
        IConsumer<byte[]?, byte[]?>? consumer = null;
        try
        {
            _updater.Initialize();
            consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig()).Build();
            var partitions = Partitions();
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
            Restore(consumer, partitions);
            _restored.TrySetResult();
            while (!_stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    Apply(result);
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Failure = e;
            StreamsRuntimeLog.ThreadFailed(_logger, _name, e);
            _restored.TrySetException(e);
        }
        finally
        {
            _restored.TrySetCanceled();
            try
            {
                consumer?.Close();
            }
            catch (KafkaException e)
            {
                StreamsRuntimeLog.CloseFailed(_logger, _name, e.Message);
            }

            consumer?.Dispose();
            _updater.Close();
            _completion.TrySetResult();
        }
    }

    private ConsumerConfig ConsumerConfig()
    {
        var merged = new Dictionary<string, string>(_config.ClientConfig);
        foreach (var (key, value) in _config.ConsumerConfig)
        {
            merged[key] = value;
        }

        // Assigned, not subscribed: every instance reads every partition, and nothing is committed (Kafka's global consumer).
        return new ConsumerConfig(merged)
        {
            BootstrapServers = _config.BootstrapServers,
            ClientId = _name + "-global-consumer",
            GroupId = _config.ApplicationId + "-global",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            GroupInstanceId = null,
        }.FetchAgainWithin(_config.PollInterval);
    }

    private List<TopicPartition> Partitions()
    {
        var partitions = new List<TopicPartition>();
        foreach (var topic in _updater.Topics)
        {
            var metadata = _admin.GetMetadata(topic, Timeout).Topics.FirstOrDefault();
            if (metadata is not { Error.Code: ErrorCode.NoError } || metadata.Partitions.Count == 0)
            {
                throw new StreamsException($"Global topic {topic} has no partitions: {metadata?.Error.Reason}");
            }

            partitions.AddRange(metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
        }

        return partitions;
    }

    /// <summary>Reads every partition up to the end it has now, before the stream threads may read the stores.</summary>
    private void Restore(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, Timeout));
        var started = Stopwatch.GetTimestamp();
        while (ends.Any(e => e.Value.High.Value > e.Value.Low.Value && Position(consumer, e.Key) < e.Value.High.Value))
        {
            _stop.Token.ThrowIfCancellationRequested();
            if (Stopwatch.GetElapsedTime(started) > RestoreDeadline)
            {
                throw new StreamsException($"{_name} could not read its global topics to their end within {RestoreDeadline}");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
            {
                Apply(result);
            }
        }
    }

    private static long Position(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        var position = consumer.Position(partition);
        return position == Offset.Unset ? -1 : position.Value;
    }

    private void Apply(ConsumeResult<byte[]?, byte[]?> result) =>
        _updater.Process(new RawRecord(
            result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value,
            result.Message.Timestamp.UnixTimestampMs, result.Message.Headers ?? []));
}
