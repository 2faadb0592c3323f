using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Tributary.Tests.TestKit;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c> package, installed on first use by <see cref="Prerequisites"/>)
/// on a free loopback port, with a cluster of its own in a fresh temporary directory, for tests that need a SQL
/// database. Durability is switched off (fsync, synchronous commit): the cluster is deleted with the server anyway.
/// Clients connect as <c>postgres</c> without a password (trust authentication).
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so as root <c>initdb</c>, <c>postgres</c> and <c>pg_ctl</c> run as the package's
/// <c>postgres</c> user through <see cref="ProcessStartInfo.UserName"/>, not <c>runuser</c>: runuser forks, so killing
/// it would orphan the server. The cluster then lives under <c>/tmp</c>, where that user can reach it.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string PackageRoot = "/usr/lib/postgresql";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static bool AsPostgres => Environment.IsPrivilegedProcess;

    private readonly Process _process;
    private readonly string _bin;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _log = new();

    private PostgresServer(Process process, string bin, string directory, int port)
    {
        _process = process;
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string User => "postgres";

    public string JdbcUrl(string database = "postgres") => $"jdbc:postgresql://{Host}:{Port}/{database}";

    public string ConnectionString(string database = "postgres") =>
        $"Host={Host};Port={Port};Username={User};Database={database};Pooling=true";

    /// <summary>
    /// CPU time the server has used so far: the postmaster's and that of the processes it forks (one per connection,
    /// plus background workers), running or ended, since that is where the queries run.
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            var pid = _process.Id.ToString(CultureInfo.InvariantCulture);
            var processes = ReadProc($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(pid);
            return TimeSpan.FromSeconds(processes.Sum(CpuTicks) / 100.0); // USER_HZ
        }
    }

    public static async Task<PostgresServer> StartAsync()
    {
        // Its siblings (postgres, psql, pg_isready...) are next to it, not next to a link to it on the PATH.
        var link = await FindInitdbAsync();
        var initdb = File.ResolveLinkTarget(link, returnFinalTarget: true)?.FullName ?? link;
        var bin = Path.GetDirectoryName(initdb)!;
        var directory = Path.Combine(AsPostgres ? "/tmp" : Path.GetTempPath(), $"tributary-pg-{Guid.NewGuid():N}");
        var data = Path.Combine(directory, "data");

        // initdb creates the directory too, so that as root it belongs to the postgres user.
        var init = await RunAsync(initdb, ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], AsPostgres);
        if (init.ExitCode != 0)
        {
            Delete(directory);
            throw new InvalidOperationException($"initdb exited with {init.ExitCode}:\n{init.Error}");
        }

        var port = SiloLauncher.FreePort().ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(StartInfo(Path.Combine(bin, "postgres"), [
            "-D", data, "-p", port, "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
        ], AsPostgres))!;
        var server = new PostgresServer(process, bin, directory, int.Parse(port, CultureInfo.InvariantCulture));
        process.OutputDataReceived += (_, line) => server.Log(line.Data);
        process.ErrorDataReceived += (_, line) => server.Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        try
        {
            for (var deadline = DateTime.UtcNow + StartTimeout; !process.HasExited && DateTime.UtcNow < deadline; await Task.Delay(100))
            {
                if ((await RunAsync(Path.Combine(bin, "pg_isready"), ["-h", server.Host, "-p", port, "-U", server.User, "-t", "1"], false)).ExitCode == 0)
                {
                    return server;
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        var why = process.HasExited ? $"exited with {process.ExitCode}" : $"did not accept connections on port {port} within {StartTimeout.TotalSeconds} s";
        await server.DisposeAsync();
        throw new InvalidOperationException($"postgres {why}:\n{string.Join('\n', server._log)}");
    }

    /// <summary>Creates the database <paramref name="name"/>.</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        var (exitCode, _, error) = await RunAsync(Path.Combine(_bin, "createdb"), ["-w", "-h", Host, "-p", PortText, "-U", User, name], false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"createdb {name} exited with {exitCode}: {error}");
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (one or more statements) with <c>psql</c> in <paramref name="database"/>, stopping at
    /// the first error; the rows it returns, one a line, fields separated by <c>|</c>, without headers or command tags.
    /// </summary>
    public async Task<string> PsqlAsync(string database, string sql)
    {
        var (exitCode, output, error) = await RunAsync(Path.Combine(_bin, "psql"), [
            "-X", "-w", "-h", Host, "-p", PortText, "-U", User, "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql,
        ], false);
        return exitCode == 0 ? output.TrimEnd('\n') : throw new InvalidOperationException($"psql -d {database} exited with {exitCode} on '{sql}': {error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // An immediate shutdown rather than a kill: on the way out the postmaster removes its System V shared memory
            // segment, which a SIGKILL would leak until the machine restarts.
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "-t", "10"], AsPostgres);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token); // and for the end of its output, for the log
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Delete(_directory);
    }

    private string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>initdb from the newest installed version; PostgreSQL's programs are not on the PATH in Debian.</summary>
    private static async Task<string> FindInitdbAsync()
    {
        try
        {
            return await Prerequisites.DebianExecutableAsync("postgresql", "initdb", BinDirectories());
        }
        catch (InvalidOperationException) when (Prerequisites.Find("initdb", BinDirectories()) is { } installed)
        {
            // Installed by that call, into a version's directory that did not exist yet when it was asked to look.
            return installed;
        }
    }

    private static string[] BinDirectories() => Directory.Exists(PackageRoot)
        ? [.. Directory.GetDirectories(PackageRoot)
            .OrderByDescending(version => int.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var number) ? number : -1)
            .Select(version => Path.Combine(version, "bin"))]
        : [];

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, bool asPostgres) => new(program, arguments)
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectStandardInput = true,
        UseShellExecute = false,
        UserName = asPostgres ? "postgres" : null,
        WorkingDirectory = "/", // the postgres user may not be able to enter the caller's working directory
    };

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, bool asPostgres)
    {
        using var process = Process.Start(StartInfo(program, arguments, asPostgres))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>User and system CPU clock ticks of a process and of its ended (reaped) children; 0 once it is gone.</summary>
    private static long CpuTicks(string pid)
    {
        // Fields 14 to 17 (utime, stime, cutime, cstime), counted after "pid (name) ", which starts with field 3.
        var stat = ReadProc($"/proc/{pid}/stat");
        return stat.Length == 0 ? 0 : stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[11..15].Sum(field => long.Parse(field, CultureInfo.InvariantCulture));
    }

    private static string ReadProc(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Keeps the server's last lines of output, to explain a failed start.</summary>
    private void Log(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            while (_log.Count > 50 && _log.TryDequeue(out _))
            {
            }
        }
    }

    private static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
