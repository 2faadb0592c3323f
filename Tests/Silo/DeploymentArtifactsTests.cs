using System.Diagnostics;

namespace Tributary.Tests.Silo;

/// <summary>
/// The deployment files under <c>infra/</c> checked offline by <c>infra/validate.sh</c>: Kubernetes manifests and
/// the Helm chart's rendered output against the Kubernetes API schemas, <c>helm lint</c>, the Bicep template built and
/// linted, the Dockerfile's references. The script installs its pinned tools from NuGet and npm on first use.
/// </summary>
public sealed class DeploymentArtifactsTests
{
    [Fact]
    public async Task InfraValidation_PassesEveryCheck()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "Orleans.sln")))
        {
            root = root.Parent;
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root.FullName, "infra", "validate.sh"));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);

        var report = await output + await error;
        Assert.True(process.ExitCode == 0, report);
        Assert.Matches(@"all \d+ checks passed", report);
    }
}
