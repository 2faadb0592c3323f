using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tributary.Tests.TestKit;

/// <summary>
/// The real Tributary.Silo executable in its own process, on free ports (Kafka, Schema Registry, REST Proxy, silo, Orleans gateway), over a data
/// directory that outlives it. Kill it (SIGKILL, as kill -9) or stop it (SIGTERM) and start it again.
/// </summary>
public sealed partial class SiloLauncher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private StreamWriter? _log = OpenLog();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloLauncher(Process process, int kafkaPort, int gatewayPort, int registryPort, int restPort, int connectPort, int healthPort)
    {
        ConnectPort = connectPort;
        _process = process;
        KafkaPort = kafkaPort;
        GatewayPort = gatewayPort;
        RegistryPort = registryPort;
        RestPort = restPort;
        HealthPort = healthPort;
    }

    public int KafkaPort { get; }

    /// <summary>The Schema Registry's HTTP port.</summary>
    public int RegistryPort { get; }

    public string RegistryUrl => $"http://localhost:{RegistryPort}";

    /// <summary>The REST Proxy's HTTP port.</summary>
    public int RestPort { get; }

    public string RestUrl => $"http://localhost:{RestPort}";

    /// <summary>Kafka Connect's HTTP port.</summary>
    public int ConnectPort { get; }

    public string ConnectUrl => $"http://localhost:{ConnectPort}";

    /// <summary>The health probes' HTTP port (<c>/health/live</c>, <c>/health/ready</c>).</summary>
    public int HealthPort { get; }

    /// <summary>The Orleans gateway port, for an Orleans client.</summary>
    public int GatewayPort { get; }

    public string BootstrapServers => $"localhost:{KafkaPort}";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>
    /// Starts a silo over <paramref name="dataDirectory"/>. <paramref name="arguments"/> come after the generated ones
    /// and override them (a fixed <c>--kafka-port</c>, cluster settings).
    /// </summary>
    public static async Task<SiloLauncher> StartAsync(
        string dataDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? arguments = null)
    {
        // A port handed out as free is free only until another process takes it: a start that finds one of its ports
        // taken is made again on new ones (those the arguments fix stay).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(dataDirectory, environment, arguments);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<SiloLauncher> StartOnceAsync(
        string dataDirectory,
        IReadOnlyDictionary<string, string>? environment,
        IReadOnlyList<string>? arguments)
    {
        var kafkaPort = Argument(arguments, "--kafka-port") ?? FreePort();
        var gatewayPort = FreePort();
        var registryPort = FreePort();
        var restPort = FreePort();
        var connectPort = FreePort();
        var healthPort = Argument(arguments, "--health-port") ?? FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                SiloDll(),
                "--data-dir", dataDirectory,
                "--kafka-port", kafkaPort.ToString(CultureInfo.InvariantCulture),
                "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture),
                "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture),
                "--registry-port", registryPort.ToString(CultureInfo.InvariantCulture),
                "--rest-port", restPort.ToString(CultureInfo.InvariantCulture),
                "--connect-port", connectPort.ToString(CultureInfo.InvariantCulture),
                "--health-port", healthPort.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var silo = new SiloLauncher(Process.Start(start)!, kafkaPort, gatewayPort, registryPort, restPort, connectPort, healthPort);
        silo._process.OutputDataReceived += (_, e) => silo.Capture(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Capture(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        var exited = silo._process.WaitForExitAsync();
        if (await Task.WhenAny(silo._started.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != silo._started.Task)
        {
            await silo.DisposeAsync();
            throw new InvalidOperationException("The silo did not start:" + Environment.NewLine + silo.Output);
        }

        return silo;
    }

    /// <summary>SIGKILL: the process ends at once, with nothing flushed or closed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process stands still, as a paused VM or a long GC pause, its sockets open.</summary>
    public void Pause() => Signal(19, "STOP");

    /// <summary>SIGCONT: a paused process goes on where it stood.</summary>
    public void Resume() => Signal(18, "CONT");

    /// <summary>SIGTERM, as Ctrl-C or a container stop sends; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        if (SendSignal(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed.");
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>
    /// With <c>TRIBUTARY_TEST_SILO_LOGS</c> set to a directory, each silo's output also goes to a file of its own there,
    /// to read after a failed cluster test.
    /// </summary>
    private static StreamWriter? OpenLog()
    {
        if (Environment.GetEnvironmentVariable("TRIBUTARY_TEST_SILO_LOGS") is not { Length: > 0 } directory)
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        var name = $"silo-{DateTime.UtcNow:HHmmss.fff}-{Guid.NewGuid().ToString("N")[..8]}.log";
        return new StreamWriter(Path.Combine(directory, name)) { AutoFlush = true };
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private static int? Argument(IReadOnlyList<string>? arguments, string name)
    {
        if (arguments is null)
        {
            return null;
        }

        var index = arguments.ToList().LastIndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : null;
    }

    public static int FreePort() => TestPorts.Next();

    /// <summary>The Silo build of the same configuration as the caller's build, found from the repository root.</summary>
    public static string SiloDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "Silo", "bin", configuration, "net10.0", "Tributary.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the Silo project first.", dll);
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            _log?.WriteLine(line);
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    private void Signal(int signal, string name)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill -{name} {_process.Id} failed.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
