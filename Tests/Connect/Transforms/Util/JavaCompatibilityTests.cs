using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Tests.Connect.Transforms.Util;

public sealed class JavaCompatibilityTests
{
    private static readonly DateTime Instant = new(2017, 1, 2, 15, 4, 5, 6, DateTimeKind.Utc);

    [Theory]
    [InlineData("yyyyMMdd", "20170102")]
    [InlineData("yy-M-d", "17-1-2")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2017-01-02T15:04:05.006Z")]
    [InlineData("EEE, d MMM yyyy hh:mm a Z", "Mon, 2 Jan 2017 03:04 PM +0000")]
    [InlineData("EEEE MMMM", "Monday January")]
    [InlineData("'It''s' k 'o''clock' K", "It's 15 o'clock 3")]
    [InlineData("S u", "6 1")]
    public void JavaDateFormat_Format_WritesJavaText(string pattern, string expected) =>
        Assert.Equal(expected, JavaDateFormat.Compile(pattern).Format(Instant));

    [Theory]
    [InlineData("yyyyMMddHHmmssSSS", "20170102150405006")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2017-01-02T16:04:05.006+01:00")]
    [InlineData("yyyy-MM-dd HH:mm:ss.SSS Z", "2017-01-02 10:04:05.006 -0500")]
    [InlineData("d MMM yyyy hh:mm:ss.SSS a", "2 jan 2017 03:04:05.006 PM")]
    [InlineData("yyyy-MM-dd HH:mm:ss.SSS", "2016-12-33 15:04:05.006 trailing text")]
    public void JavaDateFormat_Parse_ReadsJavaTextLeniently(string pattern, string text) =>
        Assert.Equal(Instant, JavaDateFormat.Compile(pattern).Parse(text));

    [Fact]
    public void JavaDateFormat_ParseWithMissingFields_DefaultsToTheEpoch() =>
        Assert.Equal(DateTime.UnixEpoch.AddHours(7).AddMinutes(30), JavaDateFormat.Compile("HH:mm").Parse("07:30"));

    [Theory]
    [InlineData("yyyy-MM-dd G")]
    [InlineData("D")]
    [InlineData("ww")]
    [InlineData("z")]
    [InlineData("yyyy 'open")]
    [InlineData("XXXX")]
    [InlineData("yyyy-bb")]
    public void JavaDateFormat_UnsupportedOrInvalidPattern_ThrowsArgumentException(string pattern) =>
        Assert.Throws<ArgumentException>(() => JavaDateFormat.Compile(pattern));

    [Fact]
    public void JavaDateFormat_TextThatDoesNotMatch_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => JavaDateFormat.Compile("yyyy-MM-dd").Parse("2017/01/02"));

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(12345678.0, "1.2345678E7")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.0, "0.0")]
    public void JavaText_FormatDouble_MatchesJavaDoubleToString(double value, string expected) =>
        Assert.Equal(expected, JavaText.FormatDouble(value));

    [Theory]
    [InlineData("a:b:", new[] { "a", "b" })]
    [InlineData("a::b", new[] { "a", "", "b" })]
    [InlineData("", new[] { "" })]
    [InlineData(":", new string[0])]
    public void JavaText_Split_DropsTrailingEmptyParts(string text, string[] expected) =>
        Assert.Equal(expected, JavaText.Split(text, ':'));

    [Theory]
    [InlineData("42", SchemaType.Int8, (sbyte)42)]
    [InlineData("300", SchemaType.Int16, (short)300)]
    [InlineData("70000", SchemaType.Int32, 70000)]
    [InlineData("5000000000", SchemaType.Int64, 5000000000L)]
    [InlineData("1.5", SchemaType.Float32, 1.5f)]
    [InlineData("true", SchemaType.Boolean, true)]
    [InlineData("hello", SchemaType.String, "hello")]
    [InlineData("[1,2]", SchemaType.String, "[1,2]")]
    public void LiteralValues_Parse_InfersTheNarrowestType(string text, SchemaType type, object expected)
    {
        var parsed = LiteralValues.Parse(text);
        Assert.Equal(type, parsed.Schema!.Type);
        Assert.Equal(expected, parsed.Value);
    }

    [Fact]
    public void LiteralValues_Parse_ReadsIsoTemporalsAndNull()
    {
        Assert.Equal(new SchemaAndValue(LogicalTypes.DateSchema, new DateTime(2024, 2, 3, 0, 0, 0, DateTimeKind.Utc)), LiteralValues.Parse("2024-02-03"));
        Assert.Equal(LogicalTypes.TimestampSchema, LiteralValues.Parse("2024-02-03T04:05:06.007Z").Schema);
        Assert.Equal(LogicalTypes.TimeSchema, LiteralValues.Parse("04:05:06.007Z").Schema);
        Assert.Equal(SchemaAndValue.Null, LiteralValues.Parse("null"));
        Assert.Equal(new SchemaAndValue(Schema.String, ""), LiteralValues.Parse(""));
    }

    [Fact]
    public void JavaRegex_TranslatesJavaReplacementSyntax()
    {
        var regex = JavaRegex.Compile("(a)(b)(?<name>c)");
        Assert.Equal("${1}${2}${name}$$", regex.TranslateReplacement("$1$2${name}\\$"));
        Assert.Equal("${3}0", regex.TranslateReplacement("$30"));
        Assert.Throws<ArgumentException>(() => regex.TranslateReplacement("$4"));
        Assert.Throws<ArgumentException>(() => regex.TranslateReplacement("${nope}"));
    }

    [Fact]
    public void SchemaCache_EvictsTheLeastRecentlyUsedEntry()
    {
        var cache = new SchemaCache(2);
        var a = SchemaBuilder.Int32().WithName("a").Build();
        var b = SchemaBuilder.Int32().WithName("b").Build();
        var c = SchemaBuilder.Int32().WithName("c").Build();
        cache.Put(a, Schema.String);
        cache.Put(b, Schema.String);
        Assert.NotNull(cache.Get(a));
        cache.Put(c, Schema.String);
        Assert.Null(cache.Get(b));
        Assert.NotNull(cache.Get(a));
        Assert.NotNull(cache.Get(c));
        Assert.Equal(2, cache.Count);
    }
}
