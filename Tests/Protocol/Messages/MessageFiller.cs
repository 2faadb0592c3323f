using System.Collections;
using System.Reflection;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>
/// Fills a generated message with random, non-default values in every field, nested structs included. With
/// <see cref="Shape"/>, values can also be long (so that compact lengths take several varint bytes) and nullable
/// fields null now and then.
/// </summary>
internal static class MessageFiller
{
    /// <summary>
    /// How to fill: strings and bytes of up to <paramref name="MaxLength"/> more bytes, null in a nullable field with
    /// <paramref name="NullChance"/>, up to <paramref name="MaxCount"/> elements in the message's own arrays.
    /// </summary>
    public sealed record Shape(int MaxLength, double NullChance, int MaxCount = 2);

    private static readonly Shape Short = new(0, 0);

    public static void Fill(object message, Random random, int depth = 0) => Fill(message, random, Short, depth);

    public static void Fill(object message, Random random, Shape shape, int depth = 0)
    {
        // Not thread-safe, so one per call: test classes run in parallel.
        var nullability = shape.NullChance > 0 ? new NullabilityInfoContext() : null;
        foreach (var property in message.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var nullable = nullability is not null
                && (Nullable.GetUnderlyingType(property.PropertyType) is not null || nullability.Create(property).WriteState == NullabilityState.Nullable);
            property.SetValue(message, nullable && random.NextDouble() < shape.NullChance
                ? null
                : Value(property.PropertyType, random, shape, depth));
        }
    }

    private static object? Value(Type type, Random random, Shape shape, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(sbyte)) return (sbyte)random.Next(1, 127);
        if (underlying == typeof(short)) return (short)random.Next(1, short.MaxValue);
        if (underlying == typeof(ushort)) return (ushort)random.Next(1, ushort.MaxValue);
        if (underlying == typeof(int)) return random.Next(1, int.MaxValue);
        if (underlying == typeof(uint)) return (uint)random.Next(1, int.MaxValue);
        if (underlying == typeof(long)) return random.NextInt64(1, long.MaxValue);
        if (underlying == typeof(double)) return random.NextDouble() + 0.5;
        if (underlying == typeof(bool)) return true;
        if (underlying == typeof(string))
        {
            var text = "s" + random.Next(0, 1_000_000) + "é";
            return shape.MaxLength > 0 ? text + new string('x', random.Next(0, shape.MaxLength)) : text;
        }

        if (underlying == typeof(Guid))
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        if (underlying == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = new byte[random.Next(1, Math.Max(24, shape.MaxLength))];
            random.NextBytes(bytes);
            return new ReadOnlyMemory<byte>(bytes);
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(underlying)!;
            var element = underlying.GetGenericArguments()[0];
            // Many elements only in a message's own arrays: nested ones stay short, or the message would explode.
            var count = depth > 3 ? 0 : random.Next(1, (depth == 0 ? shape.MaxCount : Math.Min(shape.MaxCount, 2)) + 1);
            for (var i = 0; i < count; i++)
            {
                list.Add(Value(element, random, shape, depth + 1));
            }

            return list;
        }

        if (underlying.IsClass)
        {
            var nested = Activator.CreateInstance(underlying)!;
            Fill(nested, random, shape, depth + 1);
            return nested;
        }

        throw new NotSupportedException(underlying.FullName);
    }
}
