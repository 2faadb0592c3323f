namespace Tributary.Tests.Connect.Runtime.Tasks;

/// <summary>Polls a condition until it holds or a short deadline passes.</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(3));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for: " + what);
            await Task.Delay(5);
        }
    }
}
