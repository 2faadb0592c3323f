using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

public sealed partial class KStream<TKey, TValue>
{
    /// <summary>Joins records of both streams with the same key and timestamps within the join window (Kafka's inner stream-stream join).</summary>
    public KStream<TKey, TResult> Join<TOther, TResult>(
        KStream<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, JoinWindows windows, StreamJoined<TKey, TValue, TOther>? joined = null) =>
        JoinStream(other, (left, right) => joiner(Cast<TValue>(left), Cast<TOther>(right)), windows, joined, leftOuter: false, rightOuter: false);

    /// <summary>As <see cref="Join{TOther, TResult}"/>, and each record of this stream that found no partner once its window closed, with null.</summary>
    public KStream<TKey, TResult> LeftJoin<TOther, TResult>(
        KStream<TKey, TOther> other, Func<TValue, TOther?, TResult> joiner, JoinWindows windows, StreamJoined<TKey, TValue, TOther>? joined = null) =>
        JoinStream(other, (left, right) => joiner(Cast<TValue>(left), Cast<TOther>(right)), windows, joined, leftOuter: true, rightOuter: false);

    /// <summary>As <see cref="Join{TOther, TResult}"/>, and each record of either stream that found no partner once its window closed, with null.</summary>
    public KStream<TKey, TResult> OuterJoin<TOther, TResult>(
        KStream<TKey, TOther> other, Func<TValue?, TOther?, TResult> joiner, JoinWindows windows, StreamJoined<TKey, TValue, TOther>? joined = null) =>
        JoinStream(other, (left, right) => joiner(Cast<TValue>(left), Cast<TOther>(right)), windows, joined, leftOuter: true, rightOuter: true);

    private KStream<TKey, TResult> JoinStream<TOther, TResult>(
        KStream<TKey, TOther> other, Func<object?, object?, TResult> joiner, JoinWindows windows, StreamJoined<TKey, TValue, TOther>? joined,
        bool leftOuter, bool rightOuter)
    {
        joined ??= new StreamJoined<TKey, TValue, TOther>();
        var keySerde = joined.KeySerde ?? KeySerde ?? other.KeySerde;
        var thisSerde = joined.ValueSerde ?? ValueSerde;
        var otherSerde = joined.OtherValueSerde ?? other.ValueSerde;
        var thisParent = RepartitionRequired ? RepartitionedSource(joined.Name is { } n ? n + "-left" : Name, keySerde, thisSerde, null, null) : Name;
        var otherParent = other.RepartitionRequired
            ? other.RepartitionedSource(joined.Name is { } m ? m + "-right" : other.Name, keySerde, otherSerde, null, null)
            : other.Name;
        _builder.Topology.AddCopartitionGroup(thisParent, otherParent);

        // Kafka's order of generated numbers: both windowed nodes, this side's join, the other side's, then the merge.
        var thisWindowed = _builder.NameOrNew(joined.Name is { } a ? a + "-this-windowed" : null, "KSTREAM-WINDOWED-");
        var otherWindowed = _builder.NameOrNew(joined.Name is { } b ? b + "-other-windowed" : null, "KSTREAM-WINDOWED-");
        var thisGenerated = _builder.NewProcessorName(rightOuter ? "KSTREAM-OUTERTHIS-" : "KSTREAM-JOINTHIS-");
        var otherGenerated = _builder.NewProcessorName(leftOuter ? "KSTREAM-OUTEROTHER-" : "KSTREAM-JOINOTHER-");
        var thisJoin = joined.Name is { } c ? c + (rightOuter ? "-outer-this-join" : "-this-join") : thisGenerated;
        var otherJoin = joined.Name is { } d ? d + (leftOuter ? "-outer-other-join" : "-other-join") : otherGenerated;
        var merge = _builder.NameOrNew(joined.Name is { } e ? e + "-merge" : null, "KSTREAM-MERGE-");
        var thisStore = joined.StoreName is { } s ? s + (rightOuter ? "-outer-this-join" : "-this-join") + "-store" : thisGenerated + "-store";
        var otherStore = joined.StoreName is { } t ? t + (leftOuter ? "-outer-other-join" : "-other-join") + "-store" : otherGenerated + "-store";
        var outerStore = !leftOuter && !rightOuter
            ? null
            : joined.StoreName is { } u
                ? u + (rightOuter ? "-outer-shared-join" : "-left-shared-join") + "-store"
                : "KSTREAM-OUTERSHARED-" + thisGenerated[(rightOuter ? "KSTREAM-OUTERTHIS-" : "KSTREAM-JOINTHIS-").Length..] + "-store";

        var topology = _builder.Topology;
        var retention = windows.SizeMs + windows.GraceMs;
        // On local disk under default.dsl.store=rocksDB (the default), as Kafka's join stores.
        var persistent = _builder.Config.DefaultDslStore == DslStoreType.RocksDb;
        topology.AddProcessorNode(thisWindowed, n => new JoinWindowNode<TKey, TValue>(n, thisStore, keySerde, thisSerde), thisParent);
        topology.AddStateStore(new JoinWindowStoreBuilder(thisStore, retention, joined.LoggingEnabled, persistent), thisWindowed);
        topology.AddProcessorNode(otherWindowed, n => new JoinWindowNode<TKey, TOther>(n, otherStore, keySerde, otherSerde), otherParent);
        topology.AddStateStore(new JoinWindowStoreBuilder(otherStore, retention, joined.LoggingEnabled, persistent), otherWindowed);
        if (outerStore is not null)
        {
            var outerBuilder = Stores.KeyValueStoreBuilder(_builder.DefaultKeyValueStore(outerStore), Serdes.ByteArray(), Serdes.ByteArray());
            topology.AddStateStore(joined.LoggingEnabled ? outerBuilder : outerBuilder.WithLoggingDisabled());
        }

        Func<object?, object?, object?> join = (left, right) => joiner(left, right);
        topology.AddProcessorNode(
            thisJoin,
            n => new StreamStreamJoinNode<TKey, TValue, TOther>(n, merge, otherStore, outerStore, true, leftOuter, windows, keySerde, thisSerde, otherSerde, join),
            thisWindowed);
        topology.AddProcessorNode(
            otherJoin,
            n => new StreamStreamJoinNode<TKey, TOther, TValue>(n, merge, thisStore, outerStore, false, rightOuter, windows, keySerde, otherSerde, thisSerde, join),
            otherWindowed);
        topology.ConnectProcessorAndStateStores(thisJoin, outerStore is null ? [otherStore] : [otherStore, outerStore]);
        topology.ConnectProcessorAndStateStores(otherJoin, outerStore is null ? [thisStore] : [thisStore, outerStore]);
        topology.AddProcessorNode(merge, n => new PassThroughNode(n), thisJoin, otherJoin);
        return new KStream<TKey, TResult>(_builder, merge, keySerde, null, repartitionRequired: false);
    }

    private static T Cast<T>(object? value) => value is null ? default! : (T)value;
}

/// <summary>Serdes and names of a stream-stream join's stores (Kafka's <c>StreamJoined</c>).</summary>
public sealed record StreamJoined<TKey, TValue, TOther>(
    ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, ISerde<TOther>? OtherValueSerde = null, string? Name = null, string? StoreName = null)
{
    public bool LoggingEnabled { get; init; } = true;

    public StreamJoined<TKey, TValue, TOther> WithName(string name) => this with { Name = name };

    public StreamJoined<TKey, TValue, TOther> WithStoreName(string storeName) => this with { StoreName = storeName };

    public StreamJoined<TKey, TValue, TOther> WithLoggingDisabled() => this with { LoggingEnabled = false };
}

public static class StreamJoined
{
    public static StreamJoined<TKey, TValue, TOther> With<TKey, TValue, TOther>(ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, ISerde<TOther>? otherValueSerde) =>
        new(keySerde, valueSerde, otherValueSerde);
}
