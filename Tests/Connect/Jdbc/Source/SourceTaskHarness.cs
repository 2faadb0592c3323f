using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Jdbc.Source;

namespace Tributary.Tests.Connect.Jdbc.Source;

/// <summary>
/// Runs a <see cref="JdbcSourceTask"/> as the Connect runtime does: starts it with its configuration and the offsets
/// stored so far, polls it, and stores the offset of every record it returns, per source partition (what the runtime
/// does once the records are written). A new harness over the same <see cref="Offsets"/> is a restarted task.
/// </summary>
internal sealed class SourceTaskHarness : IAsyncDisposable
{
    private readonly JdbcSourceTask _task = new();

    private SourceTaskHarness(StoredOffsets offsets) => Offsets = offsets;

    public StoredOffsets Offsets { get; }

    /// <summary>
    /// Starts the connector on <paramref name="connectorConfig"/> to get its first task's configuration (the tables
    /// it found), as the runtime does, then starts that task.
    /// </summary>
    public static async Task<SourceTaskHarness> StartAsync(IReadOnlyDictionary<string, string> connectorConfig, StoredOffsets? offsets = null)
    {
        var connector = new JdbcSourceConnector();
        var context = new ConnectorContext();
        connector.Initialize(context);
        await connector.StartAsync(connectorConfig, CancellationToken.None);
        var taskConfig = (await TaskConfigsAsync(connector, context, 1)).Single();
        await connector.StopAsync(CancellationToken.None);
        var harness = new SourceTaskHarness(offsets ?? new StoredOffsets());
        harness._task.Initialize(new Context(taskConfig, harness.Offsets));
        await harness._task.StartAsync(taskConfig, CancellationToken.None);
        return harness;
    }

    /// <summary>
    /// The connector's task configurations once it has them: a table connector lists its tables in the background and
    /// asks for a reconfiguration when the listing is in; a listing that failed is thrown here.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(
        JdbcSourceConnector connector, ConnectorContext context, int maxTasks, int reconfigurations = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (context.Error is null && context.Reconfigurations < reconfigurations && connector.TaskConfigs(maxTasks) is { Count: 0 } &&
               DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        if (context.Error is { } error)
        {
            throw error;
        }

        return connector.TaskConfigs(maxTasks);
    }

    /// <summary>One poll (waiting at most <paramref name="timeout"/>), its offsets stored.</summary>
    public async Task<IReadOnlyList<SourceRecord>> PollAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        IReadOnlyList<SourceRecord>? records;
        try
        {
            records = await _task.PollAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return [];
        }

        foreach (var record in records ?? [])
        {
            Offsets.Store(record);
        }

        return records ?? [];
    }

    /// <summary>Polls until <paramref name="count"/> records came or <paramref name="timeout"/> passed.</summary>
    public async Task<List<SourceRecord>> PollAtLeastAsync(int count, TimeSpan? timeout = null)
    {
        var all = new List<SourceRecord>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (all.Count < count && DateTime.UtcNow < deadline)
        {
            all.AddRange(await PollAsync(deadline - DateTime.UtcNow));
        }

        return all;
    }

    public async ValueTask DisposeAsync() => await _task.StopAsync(CancellationToken.None);

    /// <summary>A connector's view of the runtime that counts reconfiguration requests and keeps raised errors.</summary>
    internal sealed class ConnectorContext : IConnectorContext
    {
        private int _reconfigurations;

        public int Reconfigurations => Volatile.Read(ref _reconfigurations);

        public Exception? Error { get; private set; }

        public void RequestTaskReconfiguration() => Interlocked.Increment(ref _reconfigurations);

        public void RaiseError(Exception error) => Error = error;
    }

    private sealed class Context(IReadOnlyDictionary<string, string> configs, IOffsetStorageReader offsets) : ISourceTaskContext
    {
        public IReadOnlyDictionary<string, string> Configs { get; } = configs;

        public IOffsetStorageReader OffsetStorageReader { get; } = offsets;

        public ITransactionContext? TransactionContext => null;

        public ILogger Logger => NullLogger.Instance;
    }
}

/// <summary>The latest offset of each source partition, compared by content as Connect's offset store does.</summary>
internal sealed class StoredOffsets : IOffsetStorageReader
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, object?>> _offsets = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object?>? this[IReadOnlyDictionary<string, object?> partition] => _offsets.GetValueOrDefault(Key(partition));

    public void Store(SourceRecord record)
    {
        if (record.SourcePartition is { } partition && record.SourceOffset is { } offset)
        {
            _offsets[Key(partition)] = offset;
        }
    }

    public ValueTask<IReadOnlyDictionary<string, object?>?> OffsetAsync(IReadOnlyDictionary<string, object?> partition, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(this[partition]);

    public ValueTask<IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?> Offset)>> OffsetsAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> partitions, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<(IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>)>>(
            [.. partitions.Where(p => this[p] is not null).Select(p => (p, this[p]!))]);

    private static string Key(IReadOnlyDictionary<string, object?> partition) =>
        string.Join("|", partition.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
