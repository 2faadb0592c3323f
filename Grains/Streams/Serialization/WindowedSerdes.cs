using System.Buffers.Binary;
using Confluent.Kafka;
using Tributary.Grains.Streams.Dsl;

namespace Tributary.Grains.Streams.Serialization;

/// <summary>
/// Serdes for windowed keys in Kafka's layouts: a time window as the key's bytes then the 8-byte start
/// (<c>TimeWindowedSerializer</c>; the end is start plus the window size), a session as the key's bytes, the
/// 8-byte end and the 8-byte start (<c>SessionWindowedSerializer</c>), all big-endian.
/// </summary>
public static class WindowedSerdes
{
    public static ISerde<Windowed<TKey>> TimeWindowedSerdeFrom<TKey>(ISerde<TKey> inner, TimeSpan windowSize) =>
        new TimeWindowedSerde<TKey>(inner, (long)windowSize.TotalMilliseconds);

    public static ISerde<Windowed<TKey>> SessionWindowedSerdeFrom<TKey>(ISerde<TKey> inner) => new SessionWindowedSerde<TKey>(inner);

    private sealed class TimeWindowedSerde<TKey>(ISerde<TKey> inner, long windowSizeMs) : Serde<Windowed<TKey>>
    {
        public override byte[] Serialize(string topic, Windowed<TKey> data, Headers? headers)
        {
            var key = inner.Serialize(topic, data.Key, headers);
            var bytes = new byte[key.Length + 8];
            key.CopyTo(bytes, 0);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), data.Window.StartMs);
            return bytes;
        }

        public override Windowed<TKey> Deserialize(string topic, byte[] data, Headers? headers)
        {
            if (data.Length < 8)
            {
                throw new SerializationException($"A time-windowed key needs at least 8 bytes, got {data.Length}");
            }

            var start = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(data.Length - 8));
            return new Windowed<TKey>(inner.Deserialize(topic, data[..^8], headers), new Window(start, start + windowSizeMs));
        }
    }

    private sealed class SessionWindowedSerde<TKey>(ISerde<TKey> inner) : Serde<Windowed<TKey>>
    {
        public override byte[] Serialize(string topic, Windowed<TKey> data, Headers? headers)
        {
            var key = inner.Serialize(topic, data.Key, headers);
            var bytes = new byte[key.Length + 16];
            key.CopyTo(bytes, 0);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), data.Window.EndMs);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length + 8), data.Window.StartMs);
            return bytes;
        }

        public override Windowed<TKey> Deserialize(string topic, byte[] data, Headers? headers)
        {
            if (data.Length < 16)
            {
                throw new SerializationException($"A session-windowed key needs at least 16 bytes, got {data.Length}");
            }

            var end = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(data.Length - 16));
            var start = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(data.Length - 8));
            return new Windowed<TKey>(inner.Deserialize(topic, data[..^16], headers), new Window(start, end));
        }
    }
}
