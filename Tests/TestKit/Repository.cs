using System.Diagnostics;

namespace Tributary.Tests.TestKit;

/// <summary>The repository the tests run from, and its scripts.</summary>
public static class Repository
{
    /// <summary>The folder that holds <c>Orleans.sln</c>, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Runs a bash script of the repository (a path relative to the root) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(
        string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Root, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
