using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Dsl;

public sealed partial class KTable<TKey, TValue>
{
    /// <summary>
    /// Joins each row with the row of <paramref name="other"/> whose key its value names (Kafka's foreign-key
    /// <c>join</c>): rows without a match have no result; a change on either side updates the results it touches.
    /// The two tables need not be co-partitioned: subscriptions travel to the other table's partitions through
    /// <c>&lt;application.id&gt;-...-SUBSCRIPTION-REGISTRATION-n-topic</c> and answers come back through
    /// <c>...-SUBSCRIPTION-RESPONSE-n-topic</c>; an answer to a row that changed since is dropped.
    /// </summary>
    public KTable<TKey, TResult> Join<TForeignKey, TOther, TResult>(
        KTable<TForeignKey, TOther> other, Func<TValue, TForeignKey> foreignKeyExtractor, Func<TValue, TOther, TResult> joiner,
        Named? named = null, Materialized<TKey, TResult>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return ForeignKeyJoin(other, foreignKeyExtractor, (value, right) => joiner(value, right!), inner: true, named, materialized);
    }

    /// <summary>As the foreign-key <see cref="Join{TForeignKey,TOther,TResult}"/>, but a row without a match joins with null (Kafka's <c>leftJoin</c>).</summary>
    public KTable<TKey, TResult> LeftJoin<TForeignKey, TOther, TResult>(
        KTable<TForeignKey, TOther> other, Func<TValue, TForeignKey?> foreignKeyExtractor, Func<TValue, TOther?, TResult> joiner,
        Named? named = null, Materialized<TKey, TResult>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return ForeignKeyJoin(other, foreignKeyExtractor!, joiner, inner: false, named, materialized);
    }

    private KTable<TKey, TResult> ForeignKeyJoin<TForeignKey, TOther, TResult>(
        KTable<TForeignKey, TOther> other, Func<TValue, TForeignKey> extractor, Func<TValue, TOther?, TResult> joiner, bool inner, Named? named,
        Materialized<TKey, TResult>? materialized)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(extractor);
        materialized ??= new Materialized<TKey, TResult>();
        var topology = _builder.Topology;
        string Generated(string suffix, string prefix) => named is null ? _builder.NewProcessorName(prefix) : named.Name + suffix;

        var subscribe = Generated("-subscription-registration-processor", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-");
        var subscriptionTopic = Generated("-subscription-registration", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-") + "-topic";
        var subscriptionSink = Generated("-subscription-registration-sink", "KTABLE-SINK-");
        var subscriptionSource = Generated("-subscription-registration-source", "KTABLE-SOURCE-");
        var subscriptionStore = named is null ? _builder.NewStoreName("KTABLE-FK-JOIN-SUBSCRIPTION-") : named.Name + "-subscription-store";
        var subscriptions = Generated("-subscription-processor", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-");
        var rightChanges = Generated("-foreign-table-processor", "KTABLE-FK-JOIN-FOREIGN-TABLE-PROCESSOR-");
        var responseTopic = Generated("-subscription-response", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-") + "-topic";
        var responseSink = Generated("-subscription-response-sink", "KTABLE-SINK-");
        var responseSource = Generated("-subscription-response-source", "KTABLE-SOURCE-");
        var responses = Generated("-subscription-response-resolver-processor", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-");
        var result = _builder.NameOrNew(named?.Name, "KTABLE-FK-JOIN-OUTPUT-");
        var resultStore = materialized.StoreName ?? _builder.NewStoreName("KTABLE-FK-JOIN-OUTPUT-");

        var keySerde = KeySerde;
        var valueSerde = ValueSerde;
        var foreignKeySerde = other.KeySerde;
        var rightValueSerde = other.ValueSerde;
        Func<TValue, object?>? joinWithNothing = inner ? null : value => joiner(value, default);
        var bytes = Serdes.ByteArray();

        // This table's side: subscriptions out, results of rows that need no answer straight to the result.
        topology.AddProcessorNode(
            subscribe,
            n => new ForeignKeySubscribeNode<TKey, TValue, TForeignKey>(n, subscriptionSink, result, extractor, joinWithNothing, keySerde, valueSerde, foreignKeySerde),
            Name);
        topology.AddSink(subscriptionSink, subscriptionTopic, bytes, bytes, null, subscribe);
        topology.AddRepartitionTopic(subscriptionTopic, null);

        // The other table's side: subscriptions kept and answered, and the other table's changes sent to its subscribers.
        topology.AddSource(subscriptionSource, bytes, bytes, null, subscriptionTopic);
        var otherGetter = other.Getter;
        topology.AddProcessorNode(subscriptions, n => new ForeignKeySubscriptionNode(n, subscriptionStore, otherGetter, foreignKeySerde, rightValueSerde), subscriptionSource);
        topology.AddStateStore(State.Stores.KeyValueStoreBuilder(_builder.DefaultKeyValueStore(subscriptionStore), bytes, bytes), subscriptions);
        topology.ConnectProcessorAndStateStores(subscriptions, [.. otherGetter.Stores]);
        topology.AddProcessorNode(rightChanges, n => new ForeignKeyRightChangeNode(n, subscriptionStore, foreignKeySerde, rightValueSerde), other.Name);
        topology.ConnectProcessorAndStateStores(rightChanges, subscriptionStore);
        topology.AddSink(responseSink, responseTopic, bytes, bytes, null, subscriptions, rightChanges);
        topology.AddRepartitionTopic(responseTopic, null);

        // Back on this side: answers for rows still as they were asked for are joined into the result.
        topology.AddSource(responseSource, bytes, bytes, null, responseTopic);
        var thisGetter = Getter;
        topology.AddProcessorNode(
            responses,
            n => new ForeignKeyResponseNode<TValue, TOther>(n, thisGetter, (value, right) => joiner(value, right), inner, keySerde, valueSerde, rightValueSerde),
            responseSource);
        topology.ConnectProcessorAndStateStores(responses, [.. thisGetter.Stores]);
        topology.AddProcessorNode(result, n => new ToTableNode<TKey, TResult>(n, resultStore), subscribe, responses);
        topology.AddStateStore(_builder.KeyValueStore(resultStore, materialized, materialized.KeySerde ?? keySerde, materialized.ValueSerde), result);

        // Subscriptions reach the other table's partition of their foreign key, answers this table's partition of their key.
        topology.AddCopartitionGroup(subscriptionSource, other.Name);
        topology.AddCopartitionGroup(responseSource, Name);
        return new KTable<TKey, TResult>(
            _builder, result, materialized.KeySerde ?? keySerde, materialized.ValueSerde, resultStore, TableValueGetter.OfStore<TKey, TResult>(resultStore));
    }
}
