namespace Tributary.Tests.Gateway.Support;

/// <summary>Waiting for a condition that other threads make true, with a deadline instead of a fixed sleep.</summary>
public static class Wait
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
