using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Tests.Connect.Api.Config;

public sealed class ConfigDefTests
{
    private static ConfigDef Definition() => new ConfigDef()
        .Define("host", ConfigType.String, Importance.High, "Host", required: true)
        .Define("port", ConfigType.Int, Importance.High, "Port", defaultValue: 9092, validator: Validators.Between(1, 65535))
        .Define("timeout.ms", ConfigType.Long, Importance.Low, "Timeout", defaultValue: 30000L)
        .Define("retries", ConfigType.Short, Importance.Low, "Retries", defaultValue: (short)3)
        .Define("ratio", ConfigType.Double, Importance.Low, "Ratio", defaultValue: "0.5")
        .Define("enabled", ConfigType.Boolean, Importance.Low, "Enabled", defaultValue: false)
        .Define("topics", ConfigType.List, Importance.Low, "Topics", defaultValue: "")
        .Define("secret", ConfigType.Password, Importance.Low, "Secret")
        .Define("class", ConfigType.Class, Importance.Low, "Class");

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Parse_TypedValues_WithDefaultsForWhatIsUnset()
    {
        var parsed = Definition().Parse(Props(("host", " broker "), ("enabled", "TRUE"), ("topics", " a , b,c "), ("extra", "kept")));

        Assert.Equal("broker", parsed.GetString("host"));
        Assert.Equal(9092, parsed.GetInt("port"));
        Assert.Equal(30000L, parsed.GetLong("timeout.ms"));
        Assert.Equal((short)3, parsed.GetShort("retries"));
        Assert.Equal(0.5, parsed.GetDouble("ratio"));
        Assert.True(parsed.GetBoolean("enabled"));
        Assert.Equal(["a", "b", "c"], parsed.GetList("topics"));
        Assert.Null(parsed.GetPassword("secret"));
        Assert.Null(parsed.Get("class"));
        Assert.Equal("kept", parsed.Originals["extra"]);
    }

    [Fact]
    public void Parse_EmptyList_IsEmpty()
    {
        Assert.Empty(Definition().Parse(Props(("host", "h"), ("topics", "  "))).GetList("topics"));
    }

    [Fact]
    public void Parse_MissingRequiredKey_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<ConfigException>(() => Definition().Parse(Props()));

        Assert.Equal("Missing required configuration \"host\" which has no default value.", error.Message);
    }

    [Theory]
    [InlineData("port", "abc", "Invalid value abc for configuration port: Not a number of type INT")]
    [InlineData("port", "99999999999", "Invalid value 99999999999 for configuration port: Not a number of type INT")]
    [InlineData("timeout.ms", "1.5", "Invalid value 1.5 for configuration timeout.ms: Not a number of type LONG")]
    [InlineData("retries", "70000", "Invalid value 70000 for configuration retries: Not a number of type SHORT")]
    [InlineData("ratio", "x", "Invalid value x for configuration ratio: Not a number of type DOUBLE")]
    [InlineData("enabled", "yes", "Invalid value yes for configuration enabled: Expected value to be either true or false")]
    [InlineData("port", "0", "Invalid value 0 for configuration port: Value must be at least 1")]
    [InlineData("port", "65536", "Invalid value 65536 for configuration port: Value must be no more than 65535")]
    public void Parse_InvalidValue_ThrowsKafkasMessage(string key, string value, string message)
    {
        var error = Assert.Throws<ConfigException>(() => Definition().Parse(Props(("host", "h"), (key, value))));

        Assert.Equal(message, error.Message);
        Assert.Equal(key, error.Name);
    }

    [Fact]
    public void Parse_Password_IsTrimmed_AndHiddenWhenShown()
    {
        var parsed = Definition().Parse(Props(("host", "h"), ("secret", " s3cr3t ")));

        var password = parsed.GetPassword("secret")!;
        Assert.Equal("s3cr3t", password.Value);
        Assert.Equal("[hidden]", password.ToString());
        Assert.DoesNotContain("s3cr3t", parsed.Values["secret"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidPassword_HidesItInTheMessage()
    {
        var def = new ConfigDef().Define("secret", ConfigType.Password, Importance.High, "Secret",
            validator: Validators.From((name, value) => throw new ConfigException(name, value, "too short")));

        var error = Assert.Throws<ConfigException>(() => def.Parse(Props(("secret", "abc"))));

        Assert.Equal("Invalid value [hidden] for configuration secret: too short", error.Message);
    }

    [Fact]
    public void Define_SameKeyTwice_Throws()
    {
        var error = Assert.Throws<ConfigException>(() => Definition().Define("host", ConfigType.String, Importance.High, "again"));

        Assert.Equal("Configuration host is defined twice.", error.Message);
    }

    [Fact]
    public void Define_DefaultThatFailsItsValidator_Throws()
    {
        Assert.Throws<ConfigException>(() => new ConfigDef().Define("n", ConfigType.Int, Importance.Low, "n", defaultValue: 0, validator: Validators.AtLeast(1)));
    }

    [Fact]
    public void Validate_ReportsEveryProblemPerKey_InDefinitionOrder()
    {
        var results = Definition().Validate(Props(("port", "abc"), ("enabled", "true")));

        Assert.Equal(["host", "port", "timeout.ms", "retries", "ratio", "enabled", "topics", "secret", "class"], results.Select(r => r.Name));
        Assert.Equal(["Missing required configuration \"host\" which has no default value."], results[0].ErrorMessages);
        Assert.Equal(["Invalid value abc for configuration port: Not a number of type INT"], results[1].ErrorMessages);
        Assert.Equal("abc", results[1].Value);
        Assert.Equal(true, results[5].Value);
        Assert.All(results.Skip(2), r => Assert.Empty(r.ErrorMessages));
    }

    [Fact]
    public void Validate_ValueOutsideTheRecommendedValues_IsAnError()
    {
        var def = new ConfigDef().Define("mode", ConfigType.String, Importance.Low, "Mode", defaultValue: "a", recommender: new FixedRecommender("a", "b"));

        var results = def.Validate(Props(("mode", "c")));

        Assert.Equal(["a", "b"], results[0].RecommendedValues);
        Assert.Equal(["Invalid value c for configuration mode: Value not in the recommended values"], results[0].ErrorMessages);
    }

    [Fact]
    public void Include_AddsTheKeysAndGroupsOfAnotherDefinition()
    {
        var def = new ConfigDef().Define("a", ConfigType.String, Importance.Low, "a", defaultValue: "x", group: "G1")
            .Include(new ConfigDef().Define("b", ConfigType.String, Importance.Low, "b", defaultValue: "y", group: "G2"));

        Assert.Equal(["a", "b"], def.ConfigKeys.Keys);
        Assert.Equal(["G1", "G2"], def.Groups);
    }

    [Fact]
    public void OriginalsWithPrefix_StripsThePrefix()
    {
        var parsed = Definition().Parse(Props(("host", "h"), ("producer.override.acks", "all"), ("producer.override.linger.ms", "5")));

        var overrides = parsed.OriginalsWithPrefix("producer.override.");

        Assert.Equal(2, overrides.Count);
        Assert.Equal("all", overrides["acks"]);
        Assert.True(parsed.OriginalsWithPrefix("producer.override.", strip: false).ContainsKey("producer.override.acks"));
    }

    [Fact]
    public void Get_UnknownKey_Throws()
    {
        var parsed = Definition().Parse(Props(("host", "h")));

        Assert.Throws<ConfigException>(() => parsed.Get("nope"));
    }

    private sealed class FixedRecommender(params string[] values) : IConfigRecommender
    {
        public IReadOnlyList<object> ValidValues(string name, IReadOnlyDictionary<string, object?> parsedConfig) => values;

        public bool Visible(string name, IReadOnlyDictionary<string, object?> parsedConfig) => true;
    }
}
