using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms.Predicates;

/// <summary>True for records whose whole topic name matches a (Java) regular expression (Kafka's <c>TopicNameMatches</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.predicates.TopicNameMatches")]
public sealed class TopicNameMatches<TRecord> : IPredicate<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string PatternConfig = "pattern";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(PatternConfig, ConfigType.String, Importance.Medium,
            "A Java regular expression for matching against the name of a record's topic.",
            required: true, validator: Validators.All(Validators.NonEmptyString, TransformValidators.Regex));

    private JavaRegex _pattern = JavaRegex.Compile("");

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var pattern = Definition.Parse(configs).GetString(PatternConfig)!;
        try
        {
            _pattern = JavaRegex.Compile(pattern);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(PatternConfig, pattern, "entry must be a Java-compatible regular expression: " + e.Message);
        }
    }

    public bool Test(TRecord record) => record.Topic is not null && _pattern.Matches(record.Topic);

    public override string ToString() => $"TopicNameMatches{{pattern={_pattern}}}";
}
