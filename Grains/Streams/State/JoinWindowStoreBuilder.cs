namespace Tributary.Grains.Streams.State;

/// <summary>Builds the window store of one side of a stream-stream join, on local disk (RocksDB) or in memory.</summary>
internal sealed class JoinWindowStoreBuilder(string name, long retentionMs, bool logged, bool persistent) : IStoreBuilder
{
    public string Name { get; } = name;

    public bool LoggingEnabled { get; } = logged;

    public IReadOnlyDictionary<string, string> LogConfig { get; } = new Dictionary<string, string>();

    public IStateStore Build() => persistent
        ? new RocksDbJoinWindowStore(Name, retentionMs, LoggingEnabled)
        : new InMemoryJoinWindowStore(Name, retentionMs, LoggingEnabled);
}
