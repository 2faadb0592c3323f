using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Tests.Connect.Api.Config;

public sealed class ValidatorsTests
{
    private static string MessageOf(IConfigValidator validator, object? value, string name = "k") =>
        Assert.Throws<ConfigException>(() => validator.EnsureValid(name, value)).Message;

    [Fact]
    public void AtLeast_ValueBelow_ThrowsKafkasMessage()
    {
        Assert.Equal("Invalid value -1 for configuration k: Value must be at least 0", MessageOf(Validators.AtLeast(0), -1));
        Validators.AtLeast(0).EnsureValid("k", 0);
        Validators.AtLeast(0).EnsureValid("k", 5L);
    }

    [Fact]
    public void Range_Null_ThrowsValueMustBeNonNull()
    {
        Assert.Equal("Invalid value null for configuration k: Value must be non-null", MessageOf(Validators.AtLeast(0), null));
    }

    [Fact]
    public void Between_ValueAbove_ThrowsKafkasMessage()
    {
        Assert.Equal("Invalid value 11 for configuration k: Value must be no more than 10", MessageOf(Validators.Between(1, 10), 11));
        Assert.Equal("[1,...,10]", Validators.Between(1, 10).Describe());
        Assert.Equal("[1,...]", Validators.AtLeast(1).Describe());
    }

    [Fact]
    public void In_IsCaseSensitive_WithKafkasMessage()
    {
        var validator = Validators.In("none", "all");

        validator.EnsureValid("errors.tolerance", "all");
        Assert.Equal(
            "Invalid value ALL for configuration errors.tolerance: String must be one of: none, all",
            MessageOf(validator, "ALL", "errors.tolerance"));
        Assert.Equal("[none, all]", validator.Describe());
    }

    [Fact]
    public void InIgnoringCase_AcceptsAnyCase_AndListsTheValuesAsKafkasHashSetDoes()
    {
        var validator = Validators.InIgnoringCase("none", "all");

        validator.EnsureValid("k", "ALL");
        validator.EnsureValid("k", "None");
        Assert.Equal("Invalid value some for configuration k: String must be one of (case insensitive): ALL, NONE", MessageOf(validator, "some"));
        Assert.Equal("(case insensitive) [ALL, NONE]", validator.Describe());
    }

    [Theory]
    [InlineData(new[] { "poll", "interval", "connector" }, "INTERVAL, POLL, CONNECTOR")]
    [InlineData(new[] { "requested", "required" }, "REQUIRED, REQUESTED")]
    [InlineData(new[] { "BASE64", "NUMERIC" }, "NUMERIC, BASE64")]
    public void InIgnoringCase_Message_ListsTheValuesInJavasHashSetOrder(string[] values, string listed)
    {
        Assert.EndsWith("String must be one of (case insensitive): " + listed, MessageOf(Validators.InIgnoringCase(values), "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void ListOf_ItemNotAllowed_ThrowsKafkasMessageForThatItem()
    {
        var validator = Validators.ListOf("a", "b");

        validator.EnsureValid("k", new List<string> { "a", "b", "a" });
        Assert.Equal("Invalid value c for configuration k: String must be one of: a, b", MessageOf(validator, new List<string> { "a", "c" }));
    }

    [Fact]
    public void NonEmptyString_Empty_ThrowsKafkasMessage()
    {
        Assert.Equal("Invalid value  for configuration k: String must be non-empty", MessageOf(Validators.NonEmptyString, ""));
        Validators.NonEmptyString.EnsureValid("k", null);
    }

    [Fact]
    public void NonNull_Null_ThrowsKafkasMessage()
    {
        Assert.Equal("Invalid value null for configuration k: entry must be non null", MessageOf(Validators.NonNull, null));
    }

    [Fact]
    public void All_RunsEveryValidator_InOrder()
    {
        var validator = Validators.All(Validators.NonNull, Validators.AtLeast(5));

        Assert.Equal("Invalid value null for configuration k: entry must be non null", MessageOf(validator, null));
        Assert.Equal("Invalid value 1 for configuration k: Value must be at least 5", MessageOf(validator, 1));
    }

    [Fact]
    public void ConfigException_ShowsAListAsJavaDoes()
    {
        var error = new ConfigException("transforms", new List<string> { "a", "a" }, "Duplicate alias provided.");

        Assert.Equal("Invalid value [a, a] for configuration transforms: Duplicate alias provided.", error.Message);
    }
}
