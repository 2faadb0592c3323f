namespace Tributary.Grains.Streams.Processor;

/// <summary>
/// A node of the processor API (Kafka's <c>api.Processor</c>): one instance per task, initialised with the task's
/// context, given the records of its parents one at a time, closed when the task closes.
/// </summary>
public interface IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>
{
    void Init(IProcessorContext<TKeyOut, TValueOut> context)
    {
    }

    void Process(Record<TKeyIn, TValueIn> record);

    void Close()
    {
    }
}
