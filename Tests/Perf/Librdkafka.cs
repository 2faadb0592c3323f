using System.Runtime.InteropServices;

namespace Tributary.Tests.Perf;

/// <summary>Loads the librdkafka Confluent.Kafka ships for glibc without libsasl2 (see the test suite's twin).</summary>
internal static class Librdkafka
{
    public static void Pin()
    {
        if (OperatingSystem.IsLinux())
        {
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, (name, _, _) =>
                name == "librdkafka"
                    ? NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so"))
                    : IntPtr.Zero);
        }
    }
}
