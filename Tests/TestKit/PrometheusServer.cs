using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tributary.Tests.TestKit;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package, installed on first use by <see cref="Prerequisites"/>)
/// on a free loopback port, scraping the given targets every <c>scrapeInterval</c> into a storage folder of its own;
/// queried through its HTTP API (<c>/api/v1/query</c>) as a dashboard or an alert would.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    /// <summary>Starts Prometheus scraping <c>/metrics</c> at each of <paramref name="targets"/> (host:port) as job <c>tributary</c>.</summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<string> targets, TimeSpan scrapeInterval)
    {
        var executable = await Prerequisites.DebianExecutableAsync("prometheus", "prometheus");
        var directory = new TempDirectory();
        var interval = $"{(int)scrapeInterval.TotalMilliseconds}ms";
        var config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {interval}
              evaluation_interval: {interval}
            scrape_configs:
              - job_name: tributary
                scrape_interval: {interval}
                scrape_timeout: {interval}
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var port = SiloLauncher.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var server = new PrometheusServer(process, directory, port);
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                if ((await server._http.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        var output = server.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException($"Prometheus did not become ready: {output}");
    }

    /// <summary>What the server logged (warnings and errors).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>An instant query's samples: each series' labels and value.</summary>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string query)
    {
        using var response = await _http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus query {query} failed: {body}");
        }

        var data = body.GetProperty("data");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" => [.. data.GetProperty("result").EnumerateArray().Select(series => new PrometheusSample(
                series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                ParseValue(series.GetProperty("value")[1].GetString()!)))],
            "scalar" => [new PrometheusSample(new Dictionary<string, string>(), ParseValue(data.GetProperty("result")[1].GetString()!))],
            var other => throw new InvalidOperationException($"Prometheus answered {query} with a {other}."),
        };
    }

    /// <summary>The one value <paramref name="query"/> gives, or null while it gives none.</summary>
    public async Task<double?> ValueAsync(string query) =>
        await QueryAsync(query) switch
        {
            [] => null,
            [var one] => one.Value,
            var many => throw new InvalidOperationException($"Prometheus answered {query} with {many.Count} series."),
        };

    private static double ParseValue(string value) => value switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }
}

/// <summary>One series of a Prometheus query's answer.</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value);
