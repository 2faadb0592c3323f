using System.Buffers.Binary;
using Confluent.Kafka;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// The values of a grouped table's repartition topic: a row's new and old value, each through the table's value serde
/// (the application's default when none was given). The layout is ours, not that of Kafka's <c>ChangedSerializer</c>:
/// a flags byte (1: a new value, 2: an old value), then the new value's length (4 bytes, big-endian) and bytes when
/// there is one, then the old value's bytes.
/// </summary>
internal sealed class ChangeSerde(ISerde? inner) : ISerde
{
    private const byte HasNew = 1;
    private const byte HasOld = 2;

    public Type Type => typeof(Change);

    private ISerde Inner => inner ?? throw new StreamsException("A grouped table's repartition topic has no value serde");

    /// <summary>This serde, with <paramref name="defaultSerde"/> for the values when the table named none.</summary>
    public ChangeSerde WithDefault(ISerde defaultSerde) => inner is null ? new ChangeSerde(defaultSerde) : this;

    public byte[]? SerializeObject(string topic, object? data, Headers? headers)
    {
        if (data is not Change change)
        {
            return null;
        }

        var newBytes = change.NewValue is null ? null : Inner.SerializeObject(topic, change.NewValue, headers);
        var oldBytes = change.OldValue is null ? null : Inner.SerializeObject(topic, change.OldValue, headers);
        var bytes = new byte[1 + (newBytes is null ? 0 : 4 + newBytes.Length) + (oldBytes?.Length ?? 0)];
        bytes[0] = (byte)((newBytes is null ? 0 : HasNew) | (oldBytes is null ? 0 : HasOld));
        var at = 1;
        if (newBytes is not null)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), newBytes.Length);
            newBytes.CopyTo(bytes, at + 4);
            at += 4 + newBytes.Length;
        }

        oldBytes?.CopyTo(bytes, at);
        return bytes;
    }

    public object? DeserializeObject(string topic, byte[]? data, Headers? headers)
    {
        if (data is null)
        {
            return null;
        }

        if (data.Length == 0 || (data[0] & HasNew) != 0 && data.Length < 5)
        {
            throw new StreamsException($"A record of {topic} holds no table change ({data.Length} bytes)");
        }

        var at = 1;
        object? newValue = null;
        if ((data[0] & HasNew) != 0)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at));
            if (length < 0 || length > data.Length - at - 4)
            {
                throw new StreamsException($"A record of {topic} holds a table change whose new value claims {length} bytes of {data.Length}");
            }

            newValue = Inner.DeserializeObject(topic, data.AsSpan(at + 4, length).ToArray(), headers);
            at += 4 + length;
        }

        var oldValue = (data[0] & HasOld) != 0 ? Inner.DeserializeObject(topic, data[at..], headers) : null;
        return new Change(newValue, oldValue);
    }
}
