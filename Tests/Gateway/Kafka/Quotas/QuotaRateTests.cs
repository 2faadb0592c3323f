using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Tests.Gateway.Kafka.Quotas;

/// <summary>
/// Kafka's quota <c>Rate</c> over a <c>SampledStat</c> (11 samples of 1 s, bound 1000/s) and its throttle time
/// (<c>QuotaUtils.throttleTime</c>): with a bound of 1000/s, round((rate - bound) / bound × window) is total - window.
/// </summary>
public sealed class QuotaRateTests
{
    private const double Limit = 1_000;

    private readonly QuotaRate _rate = new(11, 1_000);

    [Fact]
    public void AFirstBurst_IsMeasuredOverSamplesMinusOneWindows_AndThrottledByTheTimeToComeBackToTheBound()
    {
        Assert.Equal(0, _rate.Record(10_000, 0, Limit));
        Assert.Equal(11_000, _rate.Record(11_000, 0, Limit));
    }

    [Fact]
    public void TheWindow_IsTheTimeSinceTheOldestSample_PlusTheWholeWindowsMissing()
    {
        Assert.Equal(0, _rate.Record(10_000, 0, Limit));

        // 21,000 over 5.5 s elapsed + 5 missing windows = 10.5 s.
        Assert.Equal(10_500, _rate.Record(11_000, 5_500, Limit));
    }

    [Fact]
    public void OnceAllSamplesAreFilled_TheWindowIsTheTimeElapsed()
    {
        for (var second = 0; second < 10; second++)
        {
            Assert.Equal(0, _rate.Record(1_000, second * 1_000, Limit));
        }

        // 11,000 over 10.5 s.
        Assert.Equal(500, _rate.Record(1_000, 10_500, Limit));
    }

    [Fact]
    public void ARateAtTheBound_IsWithin_AndOneAboveIsThrottled()
    {
        Assert.Equal(0, _rate.Record(10_000, 0, Limit));
        Assert.Equal(1, _rate.Record(1, 0, Limit));
    }

    [Fact]
    public void ASampleOlderThanAllTheWindows_IsForgotten()
    {
        var kept = new QuotaRate(11, 1_000);
        kept.Record(20_000, 0, Limit);
        _rate.Record(20_000, 0, Limit);

        Assert.Equal(20_001 - 10_999, kept.Record(1, 10_999, Limit));
        Assert.Equal(0, _rate.Record(10_000, 11_000, Limit));
        Assert.Equal(1, _rate.Record(1, 11_000, Limit));
    }

    [Fact]
    public void ASampleStartedBeforeTheWindows_IsKeptWhileItsLastEventIsInside()
    {
        // Kafka (since 3.8) purges a sample by its last event and measures from its start.
        Assert.Equal(0, _rate.Record(6_000, 0, Limit));
        Assert.Equal(12_000 - 10_900, _rate.Record(6_000, 900, Limit));

        Assert.Equal(12_001 - 11_000, _rate.Record(1, 11_000, Limit));
    }

    [Fact]
    public void ANegativeAdd_TakesBackWhatWasRecorded()
    {
        Assert.Equal(10_000, _rate.Record(20_000, 0, Limit));

        _rate.Add(-10_000, 0);

        Assert.Equal(0, _rate.Record(0, 0, Limit));
        Assert.Equal(1, _rate.Record(1, 0, Limit));
    }

    [Fact]
    public void OneSample_IsMeasuredOverAtLeastOneMillisecond()
    {
        var rate = new QuotaRate(1, 1_000);

        Assert.Equal(0, rate.Record(1, 0, Limit));
        Assert.Equal(1, rate.Record(1, 0, Limit));
    }

    [Fact]
    public void LastRecordMs_IsTheTimeOfTheLastRecording()
    {
        _rate.Record(1, 100, Limit);
        _rate.Add(1, 250);

        Assert.Equal(250, _rate.LastRecordMs);
    }

    /// <summary>One <see cref="QuotaRate"/> per (user, client-id) tag pair on the broker's clock, bounded in number.</summary>
    public sealed class Sensors
    {
        private readonly FakeTimeProvider _time = new();
        private readonly QuotaSensors _sensors;

        public Sensors() => _sensors = new QuotaSensors(11, 1_000, _time);

        private static ClientQuotaBound Bound(string user, string clientId, double limit = 1_000) => new(limit, user, clientId);

        [Fact]
        public void Record_MeasuresOnTheClock_AgainstTheBoundsLimit()
        {
            Assert.Equal(0, _sensors.Record(Bound("alice", "app"), 10_000));

            _time.Advance(TimeSpan.FromMilliseconds(5_500));

            Assert.Equal(10_500, _sensors.Record(Bound("alice", "app"), 11_000));
            Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), _sensors.NowMs);
        }

        [Fact]
        public void Unrecord_TakesBackWhatWasRecorded()
        {
            Assert.Equal(10_000, _sensors.Record(Bound("alice", "app"), 20_000));

            _sensors.Unrecord(Bound("alice", "app"), 10_000);

            Assert.Equal(0, _sensors.Record(Bound("alice", "app"), 0));
            Assert.Equal(1, _sensors.Record(Bound("alice", "app"), 1));
        }

        [Fact]
        public void DifferentTags_AreSeparateRates_AndTheSameTagsShareOne()
        {
            Assert.Equal(0, _sensors.Record(Bound("alice", "app"), 10_000));
            Assert.Equal(0, _sensors.Record(Bound("bob", "app"), 10_000));
            Assert.Equal(0, _sensors.Record(Bound("alice", ""), 10_000));
            Assert.Equal(0, _sensors.Record(Bound("", "app"), 10_000));
            Assert.Equal(4, _sensors.Count);

            // The same tags under a lower limit: 10,000 over 10 s against 500/s.
            Assert.Equal(10_000, _sensors.Record(Bound("alice", "app", 500), 0));
            Assert.Equal(4, _sensors.Count);
        }

        [Fact]
        public void AtTheLimitOfRates_ThoseIdleForAnHour_AreForgotten()
        {
            for (var i = 0; i < QuotaSensors.MaxRates; i++)
            {
                _sensors.Record(Bound($"u{i}", "app"), 1);
            }

            _time.Advance(TimeSpan.FromHours(1));
            _sensors.Record(Bound("new", "app"), 1);

            Assert.Equal(1, _sensors.Count);
        }

        [Fact]
        public void AtTheLimitOfRates_WithNoneIdle_TheIdlestTenthIsForgotten()
        {
            for (var i = 0; i < QuotaSensors.MaxRates; i++)
            {
                if (i == QuotaSensors.MaxRates / 10)
                {
                    _time.Advance(TimeSpan.FromMilliseconds(1));
                }

                _sensors.Record(Bound($"u{i}", "app"), 10_000);
            }

            _time.Advance(TimeSpan.FromMilliseconds(1));
            _sensors.Record(Bound("new", "app"), 1);

            Assert.Equal(QuotaSensors.MaxRates - (QuotaSensors.MaxRates / 10) + 1, _sensors.Count);

            // u0 starts again from nothing; u99999 still holds its 10,000 (20,000 over 10.001 s).
            Assert.Equal(0, _sensors.Record(Bound("u0", "app"), 10_000));
            Assert.Equal(20_000 - 10_001, _sensors.Record(Bound($"u{QuotaSensors.MaxRates - 1}", "app"), 10_000));
        }
    }
}
