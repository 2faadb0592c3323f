namespace Tributary.Grains.Storage.Cleaner;

/// <summary>The broker settings of the log cleaner, with Kafka's names and defaults.</summary>
public sealed record CleanerOptions
{
    /// <summary><c>log.cleaner.enable</c>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>log.cleaner.threads</c>: logs cleaned at once.</summary>
    public int Threads { get; init; } = 1;

    /// <summary><c>log.cleaner.dedupe.buffer.size</c>: memory of the offset maps, shared out among the threads.</summary>
    public long DedupeBufferSize { get; init; } = 128L * 1024 * 1024;

    /// <summary><c>log.cleaner.io.buffer.load.factor</c>: how full an offset map may get.</summary>
    public double DedupeBufferLoadFactor { get; init; } = 0.9;

    /// <summary><c>log.cleaner.io.buffer.size</c>: the read buffer and the write buffer of each thread.</summary>
    public int IoBufferSize { get; init; } = 512 * 1024;

    /// <summary><c>log.cleaner.io.max.bytes.per.second</c>: read and write rate of all threads together.</summary>
    public double IoMaxBytesPerSecond { get; init; } = double.MaxValue;

    /// <summary><c>log.cleaner.backoff.ms</c>: sleep of a thread that found nothing to clean.</summary>
    public long BackoffMs { get; init; } = 15_000;
}
