using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Tributary.Tests.Perf.Registry;

/// <summary>What a closed-loop HTTP load measured; <c>Connections</c> is how many TCP connections the client opened.</summary>
internal sealed record HttpFigures(long Requests, long Failures, double Seconds, double P50, double P99, double P999, int Connections)
{
    public double RequestsPerSecond => Requests / Seconds;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{RequestsPerSecond:F0} req/s, p50 {P50 / 1000:F2} ms, p99 {P99 / 1000:F2} ms, p99.9 {P999 / 1000:F2} ms, {Failures} failures");
}

/// <summary>
/// Closed-loop GET load: one worker per connection, each sending its next request when the last is answered, so that
/// N workers over a pool of N keep-alive connections keep every connection busy with one request at a time.
/// </summary>
internal static class HttpLoad
{
    public static async Task<HttpFigures> RunAsync(HttpConnections http, int connections, Func<int, long, string> path, TimeSpan warmUp, TimeSpan duration)
    {
        var measuring = 0;
        var done = 0;
        long failures = 0;

        // Stopwatch ticks per worker, merged once the run is over: nothing shared is written on the measured path.
        var latencies = Enumerable.Range(0, connections).Select(_ => new List<long>(1 << 16)).ToArray();
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker];
            for (long i = 0; Volatile.Read(ref done) == 0; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await GetAsync(http.Client, path(worker, i));
                var ticks = Stopwatch.GetTimestamp() - started;
                if (Volatile.Read(ref measuring) == 1)
                {
                    mine.Add(ticks);
                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        })).ToList();

        // The warm-up opens the connections and lets the JIT and the server's caches settle; none of it is counted.
        await Task.Delay(warmUp);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(duration);
        Volatile.Write(ref measuring, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref done, 1);
        await Task.WhenAll(workers);

        var requests = latencies.Sum(l => l.Count);
        var merged = new Percentiles(requests);
        foreach (var ticks in latencies.SelectMany(l => l))
        {
            merged.Add(ticks * 1e6 / Stopwatch.Frequency);
        }

        var (p50, p99, p999) = merged.Compute();
        return new HttpFigures(requests, Interlocked.Read(ref failures), seconds, p50, p99, p999, http.Opened);
    }

    /// <summary>True for a 200 with its body read; an error or a broken connection is a failure, not the end of the run.</summary>
    private static async Task<bool> GetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
