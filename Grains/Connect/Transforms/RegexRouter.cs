using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Renames the topic when the whole topic name matches a regular expression, replacing the first match with the
/// replacement (Kafka's <c>RegexRouter</c>, Java's <c>matches()</c> then <c>replaceFirst()</c>). The replacement uses
/// Java's syntax: <c>$1</c> or <c>${name}</c> for groups, <c>\$</c> for a dollar sign.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.RegexRouter")]
public sealed class RegexRouter<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string RegexConfig = "regex";
    public const string ReplacementConfig = "replacement";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(RegexConfig, ConfigType.String, Importance.High, "Regular expression to use for matching.",
            required: true, validator: TransformValidators.Regex)
        .Define(ReplacementConfig, ConfigType.String, Importance.High, "Replacement string.", required: true);

    private JavaRegex _regex = JavaRegex.Compile("");
    private string _replacement = "";

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _regex = JavaRegex.Compile(config.GetString(RegexConfig)!);
        var replacement = config.GetString(ReplacementConfig)!;
        try
        {
            // Java reports a bad replacement on the first record; checking it here fails the connector at start instead.
            _replacement = _regex.TranslateReplacement(replacement);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(ReplacementConfig, replacement, e.Message);
        }
    }

    public TRecord? Apply(TRecord record)
    {
        if (!_regex.Matches(record.Topic))
        {
            return record;
        }

        var topic = _regex.ReplaceFirst(record.Topic, _replacement);
        return record.NewRecord(topic, record.KafkaPartition, record.KeySchema, record.Key, record.ValueSchema, record.Value, record.Timestamp);
    }
}
