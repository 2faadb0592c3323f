using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Kafka;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class RateLimitedLogTests
{
    [Fact]
    public void OneLinePerKindAndInterval_GoesThrough_AndTheNextReportsHowManyWereHeldBack()
    {
        var time = new FakeTimeProvider();
        var log = new RateLimitedLog(time, TimeSpan.FromSeconds(10));

        Assert.True(log.ShouldLog("malformed", out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(log.ShouldLog("malformed", out _));
        }

        time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(log.ShouldLog("malformed", out _));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(log.ShouldLog("malformed", out var suppressed));
        Assert.Equal(1001, suppressed);
        Assert.False(log.ShouldLog("malformed", out _));
    }

    [Fact]
    public void EachKind_HasItsOwnInterval()
    {
        var time = new FakeTimeProvider();
        var log = new RateLimitedLog(time, TimeSpan.FromSeconds(10));

        Assert.True(log.ShouldLog("malformed", out _));
        Assert.False(log.ShouldLog("malformed", out _));
        Assert.True(log.ShouldLog("unknown-api", out var other));

        Assert.Equal(0, other);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(log.ShouldLog("unknown-api", out var none));
        Assert.Equal(0, none);
    }
}
