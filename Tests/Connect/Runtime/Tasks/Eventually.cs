namespace Tributary.Tests.Connect.Runtime.Tasks;

/// <summary>Polls a condition until it holds or a deadline passes (generous: test assemblies share two cores in CI).</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for: " + what);
            await Task.Delay(5);
        }
    }
}
