using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// A task's punctuations of one kind, earliest first (Kafka's <c>PunctuationQueue</c>). A punctuation that fell
/// behind fires once and is realigned to its interval, never several times in a row.
/// </summary>
internal sealed class PunctuationQueue
{
    private readonly PriorityQueue<Punctuation, long> _queue = new();

    public ICancellable Schedule(long firstTime, long interval, Action<long> punctuator)
    {
        var punctuation = new Punctuation(firstTime, interval, punctuator);
        _queue.Enqueue(punctuation, firstTime);
        return punctuation;
    }

    /// <summary>Runs every punctuation due at <paramref name="now"/>; true when one ran.</summary>
    public bool MayPunctuate(long now, Action<long> beforeEach)
    {
        var punctuated = false;
        while (_queue.TryPeek(out var punctuation, out var due) && due <= now)
        {
            _queue.Dequeue();
            if (punctuation.Cancelled)
            {
                continue;
            }

            beforeEach(now);
            punctuation.Punctuator(now);
            punctuated = true;
            var next = due + punctuation.Interval;
            if (now >= next)
            {
                next = now - ((now - due) % punctuation.Interval) + punctuation.Interval;
            }

            _queue.Enqueue(punctuation, next);
        }

        return punctuated;
    }

    private sealed class Punctuation(long first, long interval, Action<long> punctuator) : ICancellable
    {
        public long First { get; } = first;

        public long Interval { get; } = interval;

        public Action<long> Punctuator { get; } = punctuator;

        public bool Cancelled { get; private set; }

        public void Cancel() => Cancelled = true;
    }
}
