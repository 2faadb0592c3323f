using System.Reflection;
using System.Runtime.InteropServices;

namespace Tributary.Tests.TestKit;

/// <summary>
/// Pins the librdkafka that Confluent.Kafka loads to the one it ships for glibc systems without libsasl2
/// (<c>centos8-librdkafka.so</c>): the generic build needs libsasl2.so.3, which Debian 12 lacks, and the fallback
/// would otherwise be whatever older librdkafka the machine has installed. Each test assembly that uses
/// Confluent.Kafka calls it from a module initializer, before its first Confluent call.
/// </summary>
public static class Librdkafka
{
    /// <param name="confluentKafka">Confluent.Kafka's assembly (<c>typeof(Confluent.Kafka.Library).Assembly</c>).</param>
    public static void Pin(Assembly confluentKafka)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(confluentKafka, (name, _, _) =>
            name == "librdkafka"
                ? NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so"))
                : IntPtr.Zero);
    }
}
