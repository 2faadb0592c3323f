using System.Diagnostics;

namespace Tributary.Tests.TestKit;

/// <summary>
/// The programs that tests start as real servers, installed on first use so that the README's test command passes on
/// a fresh machine by itself: Debian packages through <c>apt-get</c> (as root, or through <c>sudo -n</c>), npm
/// packages into the repository's <c>.tools</c> folder at pinned versions. A program that cannot be installed fails
/// the test with a message that names the package to install; it is never a silent skip.
/// </summary>
/// <remarks>
/// Test assemblies run in parallel processes, so installs take a file lock in <c>.tools</c>: a second test waiting
/// for the same program finds it installed when the lock is released. Every server a test needs comes through here
/// (Redis and Azurite today), so the promise keeps holding as servers are added.
/// </remarks>
public static class Prerequisites
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>The repository's folder for tools installed by the tests (ignored by git).</summary>
    public static string ToolsDirectory => Path.Combine(Repository.Root, ".tools");

    /// <summary>
    /// The path of <paramref name="executable"/> from the Debian package <paramref name="package"/>: found on the PATH
    /// or in <paramref name="searchDirectories"/>, else installed with apt-get.
    /// </summary>
    public static async Task<string> DebianExecutableAsync(string package, string executable, params string[] searchDirectories)
    {
        if (Find(executable, searchDirectories) is { } found)
        {
            return found;
        }

        await using (await InstallLock.TakeAsync())
        {
            if (Find(executable, searchDirectories) is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            var why = await AptGetInstallAsync(package);
            return Find(executable, searchDirectories) ?? throw new InvalidOperationException(
                $"The tests need '{executable}' from the Debian package '{package}', which is not installed and could not be " +
                $"installed here ({why}). Install it (apt-get install {package}) and run the tests again.");
        }
    }

    /// <summary>
    /// The path of the npm package <paramref name="package"/>'s program <paramref name="executable"/> at
    /// <paramref name="version"/>, installed into <c>.tools</c> on first use.
    /// </summary>
    public static Task<string> NpmExecutableAsync(string package, string version, string executable) =>
        NpmInstallAsync(package, version, Path.Combine("node_modules", ".bin", executable));

    /// <summary>
    /// The <c>node_modules</c> directory holding the npm library <paramref name="package"/> at <paramref name="version"/>,
    /// installed into <c>.tools</c> on first use: a Node.js script finds it through <c>NODE_PATH</c>.
    /// </summary>
    public static async Task<string> NpmLibraryAsync(string package, string version)
    {
        // A scoped package (@scope/name) sits one folder deeper than the node_modules directory wanted.
        var packageJson = await NpmInstallAsync(package, version, Path.Combine("node_modules", package, "package.json"));
        return packageJson[..(packageJson.LastIndexOf("node_modules", StringComparison.Ordinal) + "node_modules".Length)];
    }

    /// <summary>Installs <paramref name="package"/>@<paramref name="version"/> unless <paramref name="file"/> (relative to its prefix) exists; its full path.</summary>
    private static async Task<string> NpmInstallAsync(string package, string version, string file)
    {
        var prefix = Path.Combine(ToolsDirectory, "npm", $"{package.Replace('/', '+')}-{version}");
        var path = Path.Combine(prefix, file);
        if (File.Exists(path))
        {
            return path;
        }

        await using (await InstallLock.TakeAsync())
        {
            if (File.Exists(path))
            {
                return path;
            }

            var npm = Find("npm", []) ?? throw new InvalidOperationException(
                $"The tests need npm to install {package}@{version} into {prefix}: install Node.js and npm (Debian: apt-get install nodejs npm).");
            Directory.CreateDirectory(prefix);
            var (exitCode, output) = await RunAsync(npm, ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", $"{package}@{version}"]);
            if (exitCode != 0 || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"npm could not install {package}@{version} into {prefix} (exit code {exitCode}):\n{Tail(output)}");
            }

            return path;
        }
    }

    /// <summary>Installs a Debian package; returns why it could not when it could not, else null.</summary>
    private static async Task<string?> AptGetInstallAsync(string package)
    {
        if (Find("apt-get", []) is not { } aptGet)
        {
            return "this system has no apt-get";
        }

        string[] prefix = [];
        if (!Environment.IsPrivilegedProcess)
        {
            if (Find("sudo", []) is not { } sudo)
            {
                return "not root, and no sudo";
            }

            prefix = [sudo, "-n"];
        }

        // The package lists of a fresh machine may be missing or stale: update them and try once more.
        var install = await RunAsync(prefix, aptGet, ["install", "-y", "-q", "--no-install-recommends", package]);
        if (install.ExitCode == 0)
        {
            return null;
        }

        var update = await RunAsync(prefix, aptGet, ["update", "-q"]);
        install = await RunAsync(prefix, aptGet, ["install", "-y", "-q", "--no-install-recommends", package]);
        return install.ExitCode == 0
            ? null
            : $"apt-get install {package} exited with {install.ExitCode}" + (update.ExitCode != 0 ? $" after apt-get update exited with {update.ExitCode}" : "") +
              ":\n" + Tail(install.Output);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string[] prefix, string program, string[] arguments) =>
        prefix.Length == 0 ? RunAsync(program, arguments) : RunAsync(prefix[0], [.. prefix[1..], program, .. arguments]);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} did not finish within {InstallTimeout}");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>An executable file named <paramref name="name"/> on the PATH or in one of <paramref name="directories"/>.</summary>
    public static string? Find(string name, IEnumerable<string> directories)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(directories))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Tail(string output) => output.Length <= 2000 ? output : output[^2000..];

    /// <summary>One install at a time across the test processes of this repository, and across the threads of this one.</summary>
    private sealed class InstallLock : IAsyncDisposable
    {
        private readonly FileStream _file;

        private InstallLock(FileStream file) => _file = file;

        public static async Task<InstallLock> TakeAsync()
        {
            await InProcess.WaitAsync();
            try
            {
                Directory.CreateDirectory(ToolsDirectory);
                var path = Path.Combine(ToolsDirectory, ".install.lock");
                var deadline = DateTime.UtcNow + InstallTimeout;
                while (true)
                {
                    try
                    {
                        return new InstallLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                    }
                    catch (IOException) when (DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(200);
                    }
                }
            }
            catch
            {
                InProcess.Release();
                throw;
            }
        }

        public ValueTask DisposeAsync()
        {
            _file.Dispose();
            InProcess.Release();
            return ValueTask.CompletedTask;
        }
    }
}
