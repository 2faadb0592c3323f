using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// LinkedIn's Burrow (Debian's <c>burrow</c> package, installed on first use), the lag monitor that follows
/// <c>__consumer_offsets</c> instead of asking OffsetFetch, run against one broker as cluster <see cref="Cluster"/>
/// with its HTTP API on a free loopback port. Its log is kept for failure messages.
/// </summary>
public sealed class BurrowProcess : IAsyncDisposable
{
    public const string Cluster = "tributary";

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private BurrowProcess(Process process, TempDirectory directory, int httpPort)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Burrow's output so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<BurrowProcess> StartAsync(string kafkaAddress, string zooKeeperAddress)
    {
        var executable = await Prerequisites.DebianExecutableAsync("burrow", "Burrow");
        var directory = new TempDirectory();
        var httpPort = TestPorts.Next();
        await File.WriteAllTextAsync(directory.Combine("burrow.toml"), $$"""
            [general]
            pidfile="{{directory.Combine("burrow.pid")}}"

            [logging]
            level="info"

            [zookeeper]
            servers=["{{zooKeeperAddress}}"]
            timeout=6
            root-path="/burrow"

            [client-profile.tests]
            client-id="burrow-tests"
            kafka-version="2.0.0"

            [cluster.{{Cluster}}]
            class-name="kafka"
            servers=["{{kafkaAddress}}"]
            client-profile="tests"
            topic-refresh=2
            offset-refresh=1

            [consumer.{{Cluster}}]
            class-name="kafka"
            cluster="{{Cluster}}"
            servers=["{{kafkaAddress}}"]
            client-profile="tests"
            offsets-topic="__consumer_offsets"
            start-latest=false

            [httpserver.default]
            address="127.0.0.1:{{httpPort.ToString(CultureInfo.InvariantCulture)}}"

            [storage.default]
            class-name="inmemory"
            workers=2
            intervals=10
            expire-group=604800
            min-distance=1
            """);
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--config-dir", directory.Path },
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var burrow = new BurrowProcess(process, directory, httpPort);
        process.OutputDataReceived += (_, e) => burrow.Append(e.Data);
        process.ErrorDataReceived += (_, e) => burrow.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return burrow;
    }

    /// <summary>
    /// Burrow's <c>/v3/kafka/{cluster}/consumer/{group}/lag</c> answer, or null while it has none (not up yet, or the
    /// group not known to it yet). Throws when Burrow has exited.
    /// </summary>
    public async Task<JsonNode?> LagAsync(string group)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Burrow exited with {_process.ExitCode}:\n{Log}");
        }

        try
        {
            using var response = await _http.GetAsync($"/v3/kafka/{Cluster}/consumer/{group}/lag");
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
