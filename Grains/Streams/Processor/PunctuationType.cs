namespace Tributary.Grains.Streams.Processor;

/// <summary>What drives a punctuator (Kafka's <c>PunctuationType</c>).</summary>
public enum PunctuationType
{
    /// <summary>The timestamps of the records processed.</summary>
    StreamTime,

    /// <summary>The clock on the wall.</summary>
    WallClockTime,
}

/// <summary>A scheduled punctuation that can be stopped.</summary>
public interface ICancellable
{
    void Cancel();
}
