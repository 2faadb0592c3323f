using System.Collections;
using System.Reflection;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>Fills a generated message with random, non-default values in every field, nested structs included.</summary>
internal static class MessageFiller
{
    public static void Fill(object message, Random random, int depth = 0)
    {
        foreach (var property in message.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            property.SetValue(message, Value(property.PropertyType, random, depth));
        }
    }

    private static object? Value(Type type, Random random, int depth)
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
        if (underlying == typeof(string)) return "s" + random.Next(0, 1_000_000) + "é";
        if (underlying == typeof(Guid))
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        if (underlying == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = new byte[random.Next(1, 24)];
            random.NextBytes(bytes);
            return new ReadOnlyMemory<byte>(bytes);
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(underlying)!;
            var element = underlying.GetGenericArguments()[0];
            var count = depth > 3 ? 0 : random.Next(1, 3);
            for (var i = 0; i < count; i++)
            {
                list.Add(Value(element, random, depth + 1));
            }

            return list;
        }

        if (underlying.IsClass)
        {
            var nested = Activator.CreateInstance(underlying)!;
            Fill(nested, random, depth + 1);
            return nested;
        }

        throw new NotSupportedException(underlying.FullName);
    }
}
