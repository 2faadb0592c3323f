using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Tributary.Tests.Perf.Registry;

/// <summary>What a closed-loop HTTP load measured.</summary>
internal sealed record HttpFigures(long Requests, long Failures, double Seconds, double P50, double P99, double P999)
{
    public double RequestsPerSecond => Requests / Seconds;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{RequestsPerSecond:F0} req/s, p50 {P50 / 1000:F2} ms, p99 {P99 / 1000:F2} ms, p99.9 {P999 / 1000:F2} ms, {Failures} failures");
}

/// <summary>
/// Closed-loop GET load: one worker per connection, each sending its next request when the last is answered, over a
/// handler that keeps exactly that many keep-alive HTTP/1.1 connections.
/// </summary>
internal static class HttpLoad
{
    public static HttpClient Client(string baseUrl, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
    })
    {
        BaseAddress = new Uri(baseUrl),
        DefaultRequestVersion = HttpVersion.Version11,
    };

    public static async Task<HttpFigures> RunAsync(HttpClient http, int connections, Func<int, long, string> path, TimeSpan warmUp, TimeSpan duration)
    {
        var measuring = 0;
        var done = 0;
        var latencies = new Percentiles(20_000_000);
        long requests = 0, failures = 0;
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            for (long i = 0; Volatile.Read(ref done) == 0; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path(worker, i), HttpCompletionOption.ResponseContentRead);
                var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                if (Volatile.Read(ref measuring) == 1)
                {
                    latencies.Add(micros);
                    Interlocked.Increment(ref requests);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        })).ToList();

        await Task.Delay(warmUp);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(duration);
        Volatile.Write(ref measuring, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref done, 1);
        await Task.WhenAll(workers);
        var (p50, p99, p999) = latencies.Compute();
        return new HttpFigures(Interlocked.Read(ref requests), Interlocked.Read(ref failures), seconds, p50, p99, p999);
    }
}
