using Tributary.Gateway.Connect;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>Kafka's rules for a connector's name: not empty once trimmed as Java trims, no ISO control characters, anything else.</summary>
public sealed class ConnectorNamesTests
{
    [Theory]
    [InlineData("c1")]
    [InlineData("ta/b&c=d//\\rx=1þ.1>< `'\" x%y+z!ሴ#$&'(æ)*+,:;=?ñ@[]ÿ")]
    [InlineData("with inner spaces")]
    public void NamesWithoutControlCharacters_AreValid_SlashesIncluded(string name) =>
        Assert.Null(ConnectorNames.Invalid(name));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("         \t\n  \b")]
    public void EmptyAndWhitespaceNames_AreRefusedAsEmpty(string name) =>
        Assert.Contains("String may not be empty", ConnectorNames.Invalid(name), StringComparison.Ordinal);

    [Fact]
    public void ControlCharacters_AreRefused_NamingTheirCodes()
    {
        var message = ConnectorNames.Invalid("a\nb\u0085c");

        Assert.NotNull(message);
        Assert.StartsWith("Connector configuration is invalid and contains the following 1 error(s):\n", message, StringComparison.Ordinal);
        Assert.Contains("String may not contain control sequences but had the following ASCII chars: 10, 133", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trim_RemovesWhatJavaTrims_AndTakesNullAsEmpty()
    {
        Assert.Equal("c1", ConnectorNames.Trim("  c1 \n\u0001"));
        Assert.Equal("c 1", ConnectorNames.Trim("\tc 1\t"));
        Assert.Equal("", ConnectorNames.Trim(null));
    }

    [Fact]
    public void AConfigNamingAnotherConnector_IsRefused_AndOneNamingNoneGetsTheName()
    {
        Assert.Equal(
            "Connector name configuration (b) doesn't match connector name in the URL (a)",
            ConnectorConfigs.CheckAndPutName("a", new Dictionary<string, string> { ["name"] = "b" }));

        var config = new Dictionary<string, string> { ["tasks.max"] = "1" };
        Assert.Null(ConnectorConfigs.CheckAndPutName("a", config));
        Assert.Equal("a", config["name"]);
    }
}
