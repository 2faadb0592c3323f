using System.Globalization;

namespace Tributary.Tests.Perf.Connect;

/// <summary>
/// The silo's own JIT and collector seconds, read from its Prometheus text at <c>/metrics</c> on the health port (.NET's
/// <c>System.Runtime</c> meter): a part's silo CPU then shows how much of it went to compiling methods again, optimized,
/// after their 30th call, and how long the collector paused the silo. Null when the silo serves no metrics.
/// </summary>
internal sealed class SiloRuntimeCounters(int healthPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}"), Timeout = TimeSpan.FromSeconds(5) };

    public async Task<(double JitSeconds, double GcPauseSeconds)?> ReadAsync()
    {
        try
        {
            var text = await _http.GetStringAsync("/metrics");
            return Value(text, "dotnet_jit_compilation_time_seconds_total") is { } jit && Value(text, "dotnet_gc_pause_time_seconds_total") is { } gc
                ? (jit, gc)
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            return null; // the figures are left out, the run goes on
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The JIT and collector seconds between two readings, as " (JIT n s, GC pauses n s)"; empty without both.</summary>
    public static string Spent((double JitSeconds, double GcPauseSeconds)? before, (double JitSeconds, double GcPauseSeconds)? after) =>
        before is { } b && after is { } a
            ? string.Create(CultureInfo.InvariantCulture, $" (JIT {a.JitSeconds - b.JitSeconds:F2} s, GC pauses {a.GcPauseSeconds - b.GcPauseSeconds:F2} s)")
            : "";

    // The first sample of a metric without labels beyond the scope's: "name{otel_scope_name=...} value" (the exporter
    // writes no timestamps after the value).
    private static double? Value(string text, string metric)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(metric) && line.Length > metric.Length && line[metric.Length] is '{' or ' ')
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
