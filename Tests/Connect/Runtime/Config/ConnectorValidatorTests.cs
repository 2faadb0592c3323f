using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Runtime.Config;

namespace Tributary.Tests.Connect.Runtime.Config;

public sealed class ConnectorValidatorTests
{
    private static readonly ConnectorValidator Validator = new(TestPlugins.Registry);

    private static Dictionary<string, string> Sink(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "sink",
            ["connector.class"] = "FileStreamSink",
            ["file"] = "/tmp/out.txt",
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    private static Dictionary<string, string> Source(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "source",
            ["connector.class"] = "org.apache.kafka.connect.file.FileStreamSourceConnector",
            ["file"] = "/tmp/in.txt",
            ["topic"] = "lines",
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    private static IReadOnlyList<string> ErrorsOf(ConfigValidation validation, string key) =>
        validation.Configs.Single(c => c.Value.Name == key).Value.ErrorMessages;

    [Fact]
    public void Validate_ValidSourceConfig_HasNoErrors_AndNamesTheJavaClass()
    {
        var validation = Validator.Validate(Source());

        Assert.Equal(0, validation.ErrorCount);
        Assert.Equal("org.apache.kafka.connect.file.FileStreamSourceConnector", validation.Name);
        Assert.Contains(validation.Configs, c => c.Value.Name == "topic");
        Assert.Contains(validation.Configs, c => c.Value.Name == "exactly.once.support");
        Assert.Contains("Common", validation.Groups);
    }

    [Fact]
    public void Validate_WithoutConnectorClass_ThrowsConfigException()
    {
        var config = Source();
        config.Remove("connector.class");

        var error = Assert.Throws<ConfigException>(() => Validator.Validate(config));

        Assert.Contains("contains no connector type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownConnectorClass_ThrowsConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => Validator.Validate(Source(("connector.class", "com.example.Missing"))));

        Assert.Contains("com.example.Missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SourceWithoutTopic_ReportsTheConnectorsOwnError()
    {
        var config = Source();
        config.Remove("topic");

        var validation = Validator.Validate(config);

        Assert.Equal(["Missing required configuration \"topic\" which has no default value."], ErrorsOf(validation, "topic"));
    }

    [Fact]
    public void Validate_SinkWithTopics_HasNoErrors()
    {
        var validation = Validator.Validate(Sink(("topics", "a,b")));

        Assert.Equal(0, validation.ErrorCount);
        Assert.Contains(validation.Configs, c => c.Value.Name == "errors.deadletterqueue.topic.name");
    }

    [Fact]
    public void Validate_SinkWithBothTopicsAndRegex_ReportsKafkasMessageOnBoth()
    {
        var validation = Validator.Validate(Sink(("topics", "a"), ("topics.regex", "b.*")));

        const string message = "topics and topics.regex are mutually exclusive options, but both are set.";
        Assert.Equal([message], ErrorsOf(validation, "topics"));
        Assert.Equal([message], ErrorsOf(validation, "topics.regex"));
    }

    [Fact]
    public void Validate_SinkWithNeitherTopicsNorRegex_ReportsKafkasMessageOnBoth()
    {
        var validation = Validator.Validate(Sink());

        const string message = "Must configure one of topics or topics.regex";
        Assert.Equal([message], ErrorsOf(validation, "topics"));
        Assert.Equal([message], ErrorsOf(validation, "topics.regex"));
        Assert.Equal(2, validation.ErrorCount);
        Assert.StartsWith("Connector configuration is invalid and contains the following 2 error(s):\n", validation.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SinkWhoseDlqTopicIsAmongItsTopics_ReportsKafkasMessageOnTopics()
    {
        var validation = Validator.Validate(Sink(("topics", "a, dlq"), ("errors.deadletterqueue.topic.name", "dlq")));

        Assert.Equal(
            ["The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector"],
            ErrorsOf(validation, "topics"));
        Assert.Empty(ErrorsOf(validation, "errors.deadletterqueue.topic.name"));
    }

    [Fact]
    public void Validate_SinkWhoseDlqTopicMatchesItsRegex_ReportsKafkasMessageOnTheRegex()
    {
        var validation = Validator.Validate(Sink(("topics.regex", "d.*"), ("errors.deadletterqueue.topic.name", "dlq")));

        Assert.Equal(
            ["The DLQ topic 'dlq' may not be matched by the regex for the topics ('topics.regex=d.*') consumed by the connector"],
            ErrorsOf(validation, "topics.regex"));
    }

    [Fact]
    public void Validate_TransformOfUnknownType_ReportsTheErrorOnItsTypeKey()
    {
        var validation = Validator.Validate(Source(("transforms", "x"), ("transforms.x.type", "com.example.Missing")));

        Assert.Equal(
            ["Invalid value com.example.Missing for configuration transforms.x.type: Class com.example.Missing could not be found."],
            ErrorsOf(validation, "transforms.x.type"));
    }

    [Fact]
    public void Validate_TransformWhoseTypeIsAConnector_IsNotATransformation()
    {
        var validation = Validator.Validate(Source(("transforms", "x"), ("transforms.x.type", "FileStreamSink")));

        Assert.Equal(["Invalid value null for configuration transforms.x.type: Not a Transformation"], ErrorsOf(validation, "transforms.x.type"));
    }

    [Fact]
    public void Validate_TransformWithoutType_ReportsTheMissingType()
    {
        var validation = Validator.Validate(Source(("transforms", "x")));

        Assert.Equal(["Missing required configuration \"transforms.x.type\" which has no default value."], ErrorsOf(validation, "transforms.x.type"));
    }

    [Fact]
    public void Validate_KnownTransform_AddsItsOwnKeys_UnderItsPrefix()
    {
        var validation = Validator.Validate(Source(("transforms", "x"), ("transforms.x.type", "AppendSuffix")));

        Assert.Equal(["Missing required configuration \"transforms.x.suffix\" which has no default value."], ErrorsOf(validation, "transforms.x.suffix"));
        Assert.Contains("Transforms: x", validation.Groups);
    }

    [Fact]
    public void Validate_TransformNamingAnUnknownPredicate_ReportsItOnThePredicateKey()
    {
        var validation = Validator.Validate(Source(
            ("transforms", "x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!"), ("transforms.x.predicate", "missing")));

        Assert.Equal(
            ["Invalid value missing for configuration transforms.x.predicate: Predicate 'missing' not found in the predicates configuration."],
            ErrorsOf(validation, "transforms.x.predicate"));
    }

    [Fact]
    public void Validate_TransformNegatingWithoutAPredicate_ReportsKafkasMessage()
    {
        var validation = Validator.Validate(Source(
            ("transforms", "x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!"), ("transforms.x.negate", "true")));

        Assert.Equal(
            ["Config 'transforms.x.negate' was provided but there is no config 'transforms.x.predicate' defining a predicate to be negated."],
            ErrorsOf(validation, "transforms.x.type"));
    }

    [Fact]
    public void Validate_PredicateOfUnknownType_ReportsTheErrorOnItsTypeKey()
    {
        var validation = Validator.Validate(Source(("predicates", "p"), ("predicates.p.type", "Nope")));

        Assert.Equal(["Invalid value Nope for configuration predicates.p.type: Class Nope could not be found."], ErrorsOf(validation, "predicates.p.type"));
    }

    [Fact]
    public void Validate_TransformWithAKnownPredicate_HasNoErrors()
    {
        var validation = Validator.Validate(Source(
            ("transforms", "x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!"), ("transforms.x.predicate", "p"),
            ("predicates", "p"), ("predicates.p.type", "TopicIs"), ("predicates.p.topic", "lines")));

        Assert.Equal(0, validation.ErrorCount);
    }

    [Fact]
    public void Validate_DuplicateTransformAliases_ReportsKafkasMessage()
    {
        var validation = Validator.Validate(Source(("transforms", "x,x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!")));

        Assert.Equal(["Invalid value [x, x] for configuration transforms: Duplicate alias provided."], ErrorsOf(validation, "transforms"));
    }

    [Fact]
    public void Validate_UnknownConverter_ReportsClassNotFound()
    {
        var validation = Validator.Validate(Source(("value.converter", "com.example.Conv")));

        Assert.Equal(
            ["Invalid value com.example.Conv for configuration value.converter: Class com.example.Conv could not be found."],
            ErrorsOf(validation, "value.converter"));
    }

    [Fact]
    public void Validate_ErrorsTolerance_IsCaseSensitiveAsInKafka()
    {
        var validation = Validator.Validate(Source(("errors.tolerance", "ALL")));

        Assert.Equal(
            ["Invalid value ALL for configuration errors.tolerance: String must be one of: none, all"],
            ErrorsOf(validation, "errors.tolerance"));
    }

    [Fact]
    public void Validate_EmptyName_IsAnError()
    {
        var validation = Validator.Validate(Source(("name", " ")));

        Assert.Single(ErrorsOf(validation, "name"));
    }

    [Fact]
    public void AnOffsetsTopic_IsRefusedWithoutExactlyOnceSources_AndTakenWithThem()
    {
        var config = Source(("offsets.storage.topic", "my-offsets"));

        Assert.Contains("exactly-once source tasks", Assert.Single(ErrorsOf(Validator.Validate(config), "offsets.storage.topic")));
        Assert.Empty(ErrorsOf(new ConnectorValidator(TestPlugins.Registry, exactlyOnceSourceEnabled: true).Validate(config), "offsets.storage.topic"));
    }

    [Fact]
    public void ExactlyOnceRequired_IsRefused_WhenTheWorkerHasItOff()
    {
        var errors = ErrorsOf(Validator.Validate(Source(("exactly.once.support", "required"))), "exactly.once.support");

        Assert.Contains("This worker does not have exactly-once source support enabled.", errors);
    }
}
