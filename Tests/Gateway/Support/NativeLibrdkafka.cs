using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// Pins the librdkafka that Confluent.Kafka loads to the one it ships for glibc systems without libsasl2
/// (<c>centos8-librdkafka.so</c>): the generic build needs libsasl2.so.3, which Debian 12 lacks, and the fallback
/// would otherwise be whatever older librdkafka the machine has installed.
/// </summary>
internal static class NativeLibrdkafka
{
    [ModuleInitializer]
    internal static void Pin()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, (name, _, _) =>
            name == "librdkafka"
                ? NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so"))
                : IntPtr.Zero);
    }
}
