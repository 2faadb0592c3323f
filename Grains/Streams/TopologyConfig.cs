namespace Tributary.Grains.Streams;

/// <summary>Settings that shape the topology a <see cref="StreamsBuilder"/> builds (Kafka's <c>TopologyConfig</c>).</summary>
public sealed record TopologyConfig
{
    /// <summary><c>default.dsl.store</c>: the key-value store behind DSL operations without a store supplier. Default RocksDB, as Kafka's.</summary>
    public DslStoreType DefaultDslStore { get; init; } = DslStoreType.RocksDb;
}

/// <summary>The values of <c>default.dsl.store</c>.</summary>
public enum DslStoreType
{
    /// <summary><c>rocksDB</c>: persistent on local disk under <c>state.dir</c>, restored after a restart only from where its checkpoint stopped.</summary>
    RocksDb,

    /// <summary><c>in_memory</c>: rebuilt from its changelog whenever its task starts.</summary>
    InMemory,
}
