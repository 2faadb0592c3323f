namespace Tributary.Grains.Streams.Processor;

/// <summary>What a processor may do and know (Kafka's <c>api.ProcessorContext</c>).</summary>
public interface IProcessorContext<TKeyOut, TValueOut>
{
    string ApplicationId { get; }

    TaskId TaskId { get; }

    /// <summary>The topic, partition and offset of the record being processed; null in a punctuation.</summary>
    RecordMetadata? RecordMetadata { get; }

    /// <summary>The task's stream time: the largest timestamp it has processed (-1 before the first record).</summary>
    long CurrentStreamTimeMs { get; }

    /// <summary>Wall-clock time as the task sees it (the test driver's mocked time under test).</summary>
    long CurrentSystemTimeMs { get; }

    /// <summary>Sends a record to every child.</summary>
    void Forward<TKey, TValue>(Record<TKey, TValue> record)
        where TKey : TKeyOut
        where TValue : TValueOut;

    /// <summary>Sends a record to the named child only.</summary>
    void Forward<TKey, TValue>(Record<TKey, TValue> record, string childName)
        where TKey : TKeyOut
        where TValue : TValueOut;

    /// <summary>A state store connected to this processor.</summary>
    TStore GetStateStore<TStore>(string name)
        where TStore : class;

    /// <summary>Calls <paramref name="punctuator"/> every <paramref name="interval"/> of stream or wall-clock time.</summary>
    ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator);

    /// <summary>Asks for a commit as soon as the task can make one.</summary>
    void Commit();
}
