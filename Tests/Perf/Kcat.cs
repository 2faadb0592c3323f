using System.Diagnostics;

namespace Tributary.Tests.Perf;

/// <summary>
/// kcat (C, librdkafka) as the producer, when it is installed: a .NET client tops out near 650k records/s on this kind
/// of machine, below what the broker takes, so a C client shows the broker's own rate. Records come from a file of
/// newline-separated values.
/// </summary>
internal static class Kcat
{
    public static bool IsInstalled => File.Exists("/usr/bin/kcat");

    public static ProduceFigures Produce(string bootstrap, string topic, long records, int recordSize, bool mock = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tributary-kcat-{recordSize}-{records}.txt");
        if (!File.Exists(file))
        {
            using var writer = new StreamWriter(file);
            var line = new string('x', recordSize - 1);
            for (long i = 0; i < records; i++)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        }

        var start = new ProcessStartInfo("/usr/bin/kcat")
        {
            ArgumentList = { "-P", "-b", bootstrap, "-t", topic, "-l", file, "-X", "linger.ms=5", "-X", "batch.size=1000000",
                "-X", "queue.buffering.max.messages=1000000", "-X", "request.required.acks=1" },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (mock)
        {
            start.ArgumentList.Add("-X");
            start.ArgumentList.Add("test.mock.num.brokers=1");
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat failed: {errors}");
        }

        return new ProduceFigures(records, recordSize, watch.Elapsed.TotalSeconds, double.NaN, double.NaN, double.NaN);
    }

    /// <summary>Reads every partition of <paramref name="topic"/> from the beginning to its end; returns the seconds taken.</summary>
    public static double ConsumeToEnd(string bootstrap, string topic)
    {
        var start = new ProcessStartInfo("/usr/bin/kcat")
        {
            ArgumentList = { "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "",
                "-X", "fetch.message.max.bytes=8388608" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"kcat failed: {errors}");
    }
}
