using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms.Predicates;

/// <summary>True for records with at least one header of the configured name (Kafka's <c>HasHeaderKey</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.predicates.HasHeaderKey")]
public sealed class HasHeaderKey<TRecord> : IPredicate<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string NameConfig = "name";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(NameConfig, ConfigType.String, Importance.Medium, "The header name.",
            required: true, validator: Validators.NonEmptyString);

    private string _name = "";

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs) =>
        _name = Definition.Parse(configs).GetString(NameConfig)!;

    public bool Test(TRecord record) => record.Headers.AllWithName(_name).Any();

    public override string ToString() => $"HasHeaderKey{{name='{_name}'}}";
}
