using System.Buffers;
using System.Reflection;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>The generated message classes, found by reflection, and what the tests over all of them share.</summary>
internal static class GeneratedMessages
{
    // The gateway's requests, responses and headers, and the payloads generated into the shared formats.
    private static readonly Assembly[] Assemblies =
        [typeof(ProduceRequest).Assembly, typeof(Tributary.Grains.KafkaFormats.Messages.ConsumerProtocolSubscription).Assembly];

    /// <summary>The full names of the generated top-level messages that implement <typeparamref name="T"/>.</summary>
    public static IEnumerable<string> Names<T>() =>
        Assemblies.SelectMany(LoadableTypes)
            .Where(t => t.Namespace?.EndsWith(".Messages", StringComparison.Ordinal) == true && typeof(T).IsAssignableFrom(t) && !t.IsInterface)
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// An assembly's types that load here: the shared formats also hold the serializers Orleans generates for their
    /// group messages, which need Orleans' serializer, a private dependency these codec tests do not have.
    /// </summary>
    public static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    public static Type TypeOf(string name) => Assemblies.Select(a => a.GetType(name)).Single(t => t is not null)!;

    public static (short Lowest, short Highest) Versions(Type type) =>
        ((short)type.GetField("LowestVersion")!.GetValue(null)!, (short)type.GetField("HighestVersion")!.GetValue(null)!);

    public static byte[] Write(IKafkaMessage message, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        message.Write(ref writer, version);
        Assert.Equal(buffer.WrittenCount, writer.Written);
        return buffer.WrittenSpan.ToArray();
    }
}
