using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>
/// The servers the tests start are installed on first use; one that cannot be installed fails the test that needs it
/// with the package to install, instead of skipping it.
/// </summary>
public sealed class PrerequisitesTests
{
    [Fact]
    public async Task DebianExecutable_OfAPackageThatCannotBeInstalled_FailsNamingThePackage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Prerequisites.DebianExecutableAsync("tributary-no-such-package", "tributary-no-such-program"));

        Assert.Contains("apt-get install tributary-no-such-package", error.Message);
        Assert.Contains("'tributary-no-such-program'", error.Message);
    }

    [Fact]
    public async Task DebianExecutable_AlreadyOnThePath_IsFoundWithoutInstalling()
    {
        var bash = await Prerequisites.DebianExecutableAsync("bash", "bash");

        Assert.True(File.Exists(bash), bash);
        Assert.Equal("bash", Path.GetFileName(bash));
    }
}
