using System.Globalization;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Storage.Partitioner;

namespace Tributary.Tests.Connect.Storage.Partitioner;

/// <summary>Joda-Time's pattern letters as <c>path.format</c> uses them.</summary>
public sealed class JodaDateTimeFormatTests
{
    // Sunday 5 May 2024, 14:07:09.045 UTC.
    private static readonly long Instant = new DateTimeOffset(2024, 5, 5, 14, 7, 9, 45, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH", "year=2024/month=05/day=05/hour=14")]
    [InlineData("yyyyMMdd'T'HHmmss.SSS", "20240505T140709.045")]
    [InlineData("yy-M-d H:m:s", "24-5-5 14:7:9")]
    [InlineData("MMM MMMM EEE EEEE", "May May Sun Sunday")]
    [InlineData("DDD 'week' ww e", "126 week 18 7")]
    [InlineData("hh a K k", "02 PM 2 14")]
    [InlineData("'it''s' ''HH''", "it's '14'")]
    [InlineData("'dt'=YYYY-MM-dd", "dt=2024-05-05")]
    public void Formats_InUtc(string pattern, string expected) =>
        Assert.Equal(expected, JodaDateTimeFormat.Parse(pattern, CultureInfo.InvariantCulture, TimeZoneInfo.Utc, "path.format").Format(Instant));

    [Fact]
    public void Formats_InTheZone()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

        var format = JodaDateTimeFormat.Parse("EEEE d MMMM HH'h' Z", CultureInfo.InvariantCulture, tokyo, "path.format");

        Assert.Equal("Sunday 5 May 23h +0900", format.Format(Instant));
        Assert.True(format.HasText);
        Assert.False(JodaDateTimeFormat.Parse("'year'=YYYY/'month'=MM", CultureInfo.InvariantCulture, tokyo, "path.format").HasText);
    }

    [Theory]
    [InlineData("YYYY/'month")]
    [InlineData("YYYY/qq")]
    [InlineData("dt=YYYY-MM-dd")] // unquoted, the t of dt is a letter Joda does not know
    public void AnUnknownLetterOrAnOpenQuote_IsAConfigException(string pattern) =>
        Assert.Throws<ConfigException>(() => JodaDateTimeFormat.Parse(pattern, CultureInfo.InvariantCulture, TimeZoneInfo.Utc, "path.format"));
}
