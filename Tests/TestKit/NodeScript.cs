using System.Diagnostics;
using System.Text.Json;

namespace Tributary.Tests.TestKit;

/// <summary>Runs a Node.js script with npm libraries on <c>NODE_PATH</c>; what it writes to stdout comes back as JSON.</summary>
public static class NodeScript
{
    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="modules"/> as <c>NODE_PATH</c> and <paramref name="environment"/>
    /// set; its stdout parsed as JSON. Throws with its stderr when it fails or runs past <paramref name="timeout"/>.
    /// </summary>
    public static async Task<JsonElement> RunAsync(string modules, string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var node = Prerequisites.Find("node", []) ?? throw new InvalidOperationException("The tests need Node.js (Debian: apt-get install nodejs).");
        var path = Path.Combine(Path.GetTempPath(), $"tributary-node-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var start = new ProcessStartInfo(node)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(path);
            start.Environment["NODE_PATH"] = modules;
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The Node.js script did not finish in time: {await error}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The Node.js script failed (exit code {process.ExitCode}): {await error}");
            }

            return JsonDocument.Parse(await output).RootElement.Clone();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
