namespace Tributary.Tests.Perf;

/// <summary>Latency samples in microseconds and their percentiles.</summary>
internal sealed class Percentiles(int capacity)
{
    private readonly double[] _samples = new double[capacity];
    private int _count;

    public void Add(double micros)
    {
        var i = Interlocked.Increment(ref _count) - 1;
        if (i < _samples.Length)
        {
            _samples[i] = micros;
        }
    }

    public (double P50, double P99, double P999) Compute()
    {
        var sorted = _samples.AsSpan(0, Math.Min(_count, _samples.Length)).ToArray();
        Array.Sort(sorted);
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return (At(0.50), At(0.99), At(0.999));
    }
}
