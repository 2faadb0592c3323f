using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>A sink task's view of the runtime (Kafka's <c>WorkerSinkTaskContext</c>); the requests it makes are taken by the runner's loop.</summary>
internal sealed class SinkTaskContext(IReadOnlyDictionary<string, string> configs, IReadOnlyCollection<TopicPartition> assignment, IErrantRecordReporter? errantRecordReporter, ILogger logger) : ISinkTaskContext
{
    public ILogger Logger => logger;

    private readonly object _gate = new();
    private readonly HashSet<TopicPartition> _paused = [];
    private Dictionary<TopicPartition, long> _offsets = [];
    private TimeSpan? _timeout;
    private bool _commitRequested;

    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public IReadOnlyCollection<TopicPartition> Assignment { get; } = assignment;

    public IErrantRecordReporter? ErrantRecordReporter { get; } = errantRecordReporter;

    public void Offset(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        lock (_gate)
        {
            foreach (var (partition, offset) in offsets)
            {
                _offsets[partition] = offset;
            }
        }
    }

    public void Offset(TopicPartition partition, long offset) => Offset(new Dictionary<TopicPartition, long> { [partition] = offset });

    public void Timeout(long timeoutMs)
    {
        lock (_gate)
        {
            _timeout = TimeSpan.FromMilliseconds(timeoutMs);
        }
    }

    public void Pause(params TopicPartition[] partitions)
    {
        lock (_gate)
        {
            _paused.UnionWith(partitions);
        }
    }

    public void Resume(params TopicPartition[] partitions)
    {
        lock (_gate)
        {
            _paused.ExceptWith(partitions);
        }
    }

    public void RequestCommit()
    {
        lock (_gate)
        {
            _commitRequested = true;
        }
    }

    public bool IsPaused(TopicPartition partition)
    {
        lock (_gate)
        {
            return _paused.Contains(partition);
        }
    }

    /// <summary>Whether the task asked for positions that <see cref="TakeOffsets"/> has not taken yet.</summary>
    public bool HasRequestedOffsets
    {
        get
        {
            lock (_gate)
            {
                return _offsets.Count > 0;
            }
        }
    }

    public Dictionary<TopicPartition, long> TakeOffsets()
    {
        lock (_gate)
        {
            var taken = _offsets;
            _offsets = [];
            return taken;
        }
    }

    public TimeSpan? TakeTimeout()
    {
        lock (_gate)
        {
            var taken = _timeout;
            _timeout = null;
            return taken;
        }
    }

    public bool TakeCommitRequest()
    {
        lock (_gate)
        {
            var taken = _commitRequested;
            _commitRequested = false;
            return taken;
        }
    }
}
