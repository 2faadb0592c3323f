using System.Buffers.Binary;
using System.Security.Cryptography;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>
/// The messages of a foreign-key join between its two sub-topologies (Kafka's SubscriptionWrapper and
/// SubscriptionResponseWrapper, in a layout of our own). A subscription, keyed by the foreign key, says that the
/// left row with a primary key now points there (with a hash of its value) or no longer does; a response, keyed by
/// the primary key, carries the right value for the left value with that hash.
/// </summary>
internal static class ForeignKeyMessages
{
    public const byte Unsubscribe = 0;
    public const byte Subscribe = 1;
    private const int HashLength = 32;

    public static byte[] Hash(byte[] value) => SHA256.HashData(value);

    public static byte[] Subscription(byte instruction, byte[] hash, byte[] primaryKey) => [instruction, .. hash, .. primaryKey];

    public static (byte Instruction, byte[] Hash, byte[] PrimaryKey) ReadSubscription(byte[] message) =>
        (message[0], message[1..(1 + HashLength)], message[(1 + HashLength)..]);

    public static byte[] Response(byte[] hash, byte[]? rightValue) => rightValue is null ? [.. hash, 0] : [.. hash, 1, .. rightValue];

    public static (byte[] Hash, byte[]? RightValue) ReadResponse(byte[] message) =>
        (message[..HashLength], message[HashLength] == 0 ? null : message[(HashLength + 1)..]);

    /// <summary>The subscription store's key: the foreign key's length and bytes, then the primary key's, so one foreign key's subscribers are one range.</summary>
    public static byte[] CompositeKey(byte[] foreignKey, byte[] primaryKey)
    {
        var composite = new byte[4 + foreignKey.Length + primaryKey.Length];
        BinaryPrimitives.WriteInt32BigEndian(composite, foreignKey.Length);
        foreignKey.CopyTo(composite, 4);
        primaryKey.CopyTo(composite, 4 + foreignKey.Length);
        return composite;
    }

    /// <summary>The primary keys subscribed to a foreign key, with the hash each subscribed with.</summary>
    public static IEnumerable<(byte[] PrimaryKey, byte[] Hash)> Subscribers(IKeyValueStore<byte[], byte[]> store, byte[] foreignKey)
    {
        var prefix = CompositeKey(foreignKey, []);
        // Every key that starts with the prefix sorts between it and the prefix followed by 0xFF bytes.
        var upper = new byte[prefix.Length + 256];
        prefix.CopyTo(upper, 0);
        upper.AsSpan(prefix.Length).Fill(0xFF);
        foreach (var entry in store.Range(prefix, upper))
        {
            if (entry.Key.AsSpan().StartsWith(prefix))
            {
                yield return (entry.Key[prefix.Length..], entry.Value);
            }
        }
    }
}

/// <summary>
/// On the left table's side: each change of a left row subscribes it to its new foreign key and unsubscribes it from
/// the old one (Kafka's SubscriptionSendProcessorSupplier). What needs no right value is answered at once: a
/// deleted left row deletes the result; a row without a foreign key deletes it (inner) or joins with nothing (left).
/// </summary>
internal sealed class ForeignKeySubscribeNode<TKey, TValue, TForeignKey>(
    string name, string subscriptionSink, string resultNode, Func<TValue, TForeignKey> extractor, Func<TValue, object?>? joinWithNothing,
    ISerde? keySerde, ISerde? valueSerde, ISerde? foreignKeySerde) : ProcessorNode(name)
{
    private ISerde _keySerde = null!;
    private ISerde _valueSerde = null!;
    private ISerde _foreignKeySerde = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _keySerde = keySerde ?? task.DefaultKeySerde;
        _valueSerde = valueSerde ?? task.DefaultValueSerde;
        _foreignKeySerde = foreignKeySerde ?? task.DefaultKeySerde;
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            return;
        }

        var change = (Change)record.Value!;
        var newKey = change.NewValue is { } v ? extractor((TValue)v) : default;
        var oldKey = change.OldValue is { } o ? extractor((TValue)o) : default;
        var primaryKey = _keySerde.SerializeObject(Name, record.Key, null)!;
        var newBytes = newKey is null ? null : _foreignKeySerde.SerializeObject(Name, newKey, null);
        var oldBytes = oldKey is null ? null : _foreignKeySerde.SerializeObject(Name, oldKey, null);

        if (oldBytes is not null && (newBytes is null || !oldBytes.AsSpan().SequenceEqual(newBytes)))
        {
            Send(oldBytes, ForeignKeyMessages.Subscription(ForeignKeyMessages.Unsubscribe, new byte[32], primaryKey), record);
        }

        if (newBytes is not null)
        {
            var hash = ForeignKeyMessages.Hash(_valueSerde.SerializeObject(Name, change.NewValue, null)!);
            Send(newBytes, ForeignKeyMessages.Subscription(ForeignKeyMessages.Subscribe, hash, primaryKey), record);
            return;
        }

        // No right value can change these results: a deleted left row, or one without a foreign key.
        var result = change.NewValue is { } left && joinWithNothing is not null ? joinWithNothing((TValue)left) : null;
        Forward(record with { Value = result }, resultNode);
    }

    private void Send(byte[] foreignKey, byte[] subscription, Record<object?, object?> record) =>
        Forward(record with { Key = foreignKey, Value = subscription }, subscriptionSink);
}

/// <summary>
/// On the right table's side: keeps the subscriptions per foreign key and answers each new one with the right
/// table's current value (Kafka's SubscriptionReceiveProcessorSupplier and SubscriptionJoinProcessorSupplier).
/// </summary>
internal sealed class ForeignKeySubscriptionNode(string name, string storeName, TableValueGetter rightTable, ISerde? foreignKeySerde, ISerde? rightValueSerde)
    : ProcessorNode(name)
{
    private IKeyValueStore<byte[], byte[]> _subscriptions = null!;
    private Func<object, object?> _right = null!;
    private ISerde _foreignKeySerde = null!;
    private ISerde _rightValueSerde = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _subscriptions = (IKeyValueStore<byte[], byte[]>)task.GetStore(storeName);
        _right = rightTable.Make(task);
        _foreignKeySerde = foreignKeySerde ?? task.DefaultKeySerde;
        _rightValueSerde = rightValueSerde ?? task.DefaultValueSerde;
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is not byte[] foreignKey || record.Value is not byte[] message)
        {
            return;
        }

        var (instruction, hash, primaryKey) = ForeignKeyMessages.ReadSubscription(message);
        var composite = ForeignKeyMessages.CompositeKey(foreignKey, primaryKey);
        if (instruction == ForeignKeyMessages.Unsubscribe)
        {
            _subscriptions.Delete(composite);
            return;
        }

        _subscriptions.Put(composite, hash);
        var right = _right(_foreignKeySerde.DeserializeObject(Name, foreignKey, null)!);
        var rightBytes = right is null ? null : _rightValueSerde.SerializeObject(Name, right, null);
        Forward(record with { Key = primaryKey, Value = ForeignKeyMessages.Response(hash, rightBytes) });
    }
}

/// <summary>On the right table's side: a change of a right row is sent to every left row subscribed to its key (Kafka's ForeignTableJoinProcessorSupplier).</summary>
internal sealed class ForeignKeyRightChangeNode(string name, string storeName, ISerde? foreignKeySerde, ISerde? rightValueSerde) : ProcessorNode(name)
{
    private IKeyValueStore<byte[], byte[]> _subscriptions = null!;
    private ISerde _foreignKeySerde = null!;
    private ISerde _rightValueSerde = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _subscriptions = (IKeyValueStore<byte[], byte[]>)task.GetStore(storeName);
        _foreignKeySerde = foreignKeySerde ?? task.DefaultKeySerde;
        _rightValueSerde = rightValueSerde ?? task.DefaultValueSerde;
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            return;
        }

        var change = (Change)record.Value!;
        var foreignKey = _foreignKeySerde.SerializeObject(Name, record.Key, null)!;
        var rightBytes = change.NewValue is null ? null : _rightValueSerde.SerializeObject(Name, change.NewValue, null);
        foreach (var (primaryKey, hash) in ForeignKeyMessages.Subscribers(_subscriptions, foreignKey).ToList())
        {
            Forward(record with { Key = primaryKey, Value = ForeignKeyMessages.Response(hash, rightBytes) });
        }
    }
}

/// <summary>
/// Back on the left table's side: a response joins only if the left row still has the value it was asked for
/// (the hash matches), so answers to outdated subscriptions are dropped (Kafka's ResponseJoinProcessorSupplier).
/// </summary>
internal sealed class ForeignKeyResponseNode<TValue, TRight>(
    string name, TableValueGetter leftTable, Func<TValue, TRight?, object?> joiner, bool inner, ISerde? keySerde, ISerde? valueSerde, ISerde? rightValueSerde)
    : ProcessorNode(name)
{
    private Func<object, object?> _left = null!;
    private ISerde _keySerde = null!;
    private ISerde _valueSerde = null!;
    private ISerde _rightValueSerde = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _left = leftTable.Make(task);
        _keySerde = keySerde ?? task.DefaultKeySerde;
        _valueSerde = valueSerde ?? task.DefaultValueSerde;
        _rightValueSerde = rightValueSerde ?? task.DefaultValueSerde;
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is not byte[] primaryKey || record.Value is not byte[] message)
        {
            return;
        }

        var (hash, rightBytes) = ForeignKeyMessages.ReadResponse(message);
        var key = _keySerde.DeserializeObject(Name, primaryKey, null)!;
        if (_left(key) is not { } left || !ForeignKeyMessages.Hash(_valueSerde.SerializeObject(Name, left, null)!).AsSpan().SequenceEqual(hash))
        {
            return;
        }

        var right = rightBytes is null ? default : (TRight?)_rightValueSerde.DeserializeObject(Name, rightBytes, null);
        var result = right is null && inner ? null : joiner((TValue)left, right);
        Forward(record with { Key = key, Value = result });
    }
}
