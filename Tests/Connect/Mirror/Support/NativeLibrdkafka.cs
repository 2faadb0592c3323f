using System.Runtime.CompilerServices;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Mirror.Support;

/// <summary>Pins Confluent.Kafka's librdkafka before this assembly's first Confluent call (see <see cref="Librdkafka"/>).</summary>
internal static class NativeLibrdkafka
{
    [ModuleInitializer]
    internal static void Pin() => Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
}
