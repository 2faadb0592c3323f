using System.Diagnostics;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// Measures how long this whole process stood still (a garbage collection that suspends every thread, or the machine's
/// cores taken by other processes) while a test ran: a dedicated thread sleeps 10 ms at a time and keeps the longest
/// overshoot. A latency bound that excuses this much still fails when the broker itself keeps one client waiting, since
/// a thread of its own is not held up by the broker's thread pool, its locks or its grains.
/// </summary>
public sealed class ProcessStallWatch : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly Thread _thread;
    private volatile bool _stopped;
    private long _longestTicks;

    public ProcessStallWatch()
    {
        _thread = new Thread(Watch) { IsBackground = true, Name = "process stall watch" };
        _thread.Start();
    }

    /// <summary>The longest time the watching thread was held up beyond its sleep.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
    }

    private void Watch()
    {
        while (!_stopped)
        {
            var started = Stopwatch.GetTimestamp();
            Thread.Sleep(Tick);
            var overshoot = Stopwatch.GetElapsedTime(started) - Tick;
            if (overshoot.Ticks > Interlocked.Read(ref _longestTicks))
            {
                Interlocked.Exchange(ref _longestTicks, overshoot.Ticks);
            }
        }
    }
}
