using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.Perf.Connect;

/// <summary>
/// How a connector's end is seen from outside, every 100 ms: a topic's end offsets (ListOffsets through a Confluent.Kafka
/// consumer) or a file's length. The figure is therefore late by up to one poll interval, which at a few seconds per run
/// is a few per cent. A failed task never finishes, so the connector's status is also read every 3 s.
/// </summary>
internal sealed class Progress(Stopwatch clock, Func<Task<string>> status, TimeSpan timeout)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(3);

    private TimeSpan _statusDue = StatusInterval;

    /// <summary>Waits until the topic's partitions hold <paramref name="records"/> records in all; the seconds since the clock started.</summary>
    public async Task<double> TopicFilledAsync(string bootstrap, string topic, int partitions, long records)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "connect-perf-watch" }).Build();
        while (true)
        {
            long end = 0;
            for (var p = 0; p < partitions; p++)
            {
                end += consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
            }

            if (end >= records)
            {
                return clock.Elapsed.TotalSeconds;
            }

            await WaitAsync($"{topic} holds {end} of {records} records");
        }
    }

    /// <summary>Waits until the file is <paramref name="bytes"/> long; the seconds since the clock started.</summary>
    public async Task<double> FileFilledAsync(string file, long bytes)
    {
        while (true)
        {
            var length = File.Exists(file) ? new FileInfo(file).Length : 0;
            if (length >= bytes)
            {
                return clock.Elapsed.TotalSeconds;
            }

            await WaitAsync($"{file} has {length} of {bytes} bytes");
        }
    }

    private async Task WaitAsync(string where)
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException($"After {clock.Elapsed.TotalSeconds:F0} s {where}; connector status: {await status()}");
        }

        if (clock.Elapsed >= _statusDue)
        {
            _statusDue = clock.Elapsed + StatusInterval;
            var current = await status();
            if (current.Contains("\"FAILED\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"After {clock.Elapsed.TotalSeconds:F0} s {where}; a task failed: {current}");
            }
        }

        await Task.Delay(Interval);
    }
}
