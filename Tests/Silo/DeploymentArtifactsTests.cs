using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>
/// The deployment files under <c>infra/</c> checked offline by <c>infra/validate.sh</c>: Kubernetes manifests and
/// the Helm chart's rendered output against the Kubernetes API schemas (the chart's optional ServiceMonitor against
/// Prometheus Operator's, its selector, port, path and interval checked; none rendered by default),
/// <c>helm lint</c>, the Bicep template built and linted, the Dockerfile's references. The script installs its pinned
/// tools from NuGet and npm on first use.
/// </summary>
public sealed class DeploymentArtifactsTests
{
    [Fact]
    public async Task InfraValidation_PassesEveryCheck()
    {
        var (exitCode, report) = await Repository.RunScriptAsync("infra/validate.sh", []);

        Assert.True(exitCode == 0, report);
        Assert.Matches(@"all \d+ checks passed", report);
    }
}
