using Confluent.SchemaRegistry;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Avro.Data;
using Tributary.Grains.Connect.Avro.Registry;
using SubjectNameStrategy = Tributary.Grains.Connect.Avro.Registry.SubjectNameStrategy;

namespace Tributary.Grains.Connect.Avro;

/// <summary>
/// The Avro converter's settings, with Confluent's names and defaults: the registry's URLs and credentials, how
/// schemas are registered and chosen (<c>auto.register.schemas</c>, <c>use.latest.version</c>, the subject name
/// strategies), and AvroData's mapping switches (<see cref="AvroDataConfig"/>).
/// </summary>
public sealed class AvroConverterConfig
{
    public const string SchemaRegistryUrlConfig = "schema.registry.url";
    public const string AutoRegisterSchemasConfig = "auto.register.schemas";
    public const string UseLatestVersionConfig = "use.latest.version";
    public const string NormalizeSchemasConfig = "normalize.schemas";
    public const string KeySubjectNameStrategyConfig = "key.subject.name.strategy";
    public const string ValueSubjectNameStrategyConfig = "value.subject.name.strategy";
    public const string MaxSchemasPerSubjectConfig = "max.schemas.per.subject";
    public const string LatestCacheTtlConfig = "latest.cache.ttl.sec";
    public const string BasicAuthCredentialsSourceConfig = "basic.auth.credentials.source";
    public const string BasicAuthUserInfoConfig = "basic.auth.user.info";
    public const string LegacyBasicAuthUserInfoConfig = "schema.registry.basic.auth.user.info";

    public static ConfigDef ConfigDef { get; } = Define();

    public AvroConverterConfig(IReadOnlyDictionary<string, string> properties)
    {
        var parsed = ConfigDef.Parse(properties);
        Urls = parsed.GetList(SchemaRegistryUrlConfig);
        if (Urls.Count == 0)
        {
            throw new ConfigException(SchemaRegistryUrlConfig, "", "At least one Schema Registry URL is required");
        }

        AutoRegisterSchemas = parsed.GetBoolean(AutoRegisterSchemasConfig);
        UseLatestVersion = parsed.GetBoolean(UseLatestVersionConfig);
        NormalizeSchemas = parsed.GetBoolean(NormalizeSchemasConfig);
        KeySubjectNameStrategy = SubjectNameStrategy.Parse(KeySubjectNameStrategyConfig, parsed.GetString(KeySubjectNameStrategyConfig)!);
        ValueSubjectNameStrategy = SubjectNameStrategy.Parse(ValueSubjectNameStrategyConfig, parsed.GetString(ValueSubjectNameStrategyConfig)!);
        MaxSchemasPerSubject = parsed.GetInt(MaxSchemasPerSubjectConfig);
        LatestCacheTtlSeconds = parsed.GetLong(LatestCacheTtlConfig);
        CredentialsSource = parsed.GetString(BasicAuthCredentialsSourceConfig)!.ToUpperInvariant();
        UserInfo = parsed.GetPassword(BasicAuthUserInfoConfig)?.Value is { Length: > 0 } userInfo
            ? userInfo
            : parsed.GetPassword(LegacyBasicAuthUserInfoConfig)?.Value;
        Data = new AvroDataConfig(parsed);
    }

    public IReadOnlyList<string> Urls { get; }

    public bool AutoRegisterSchemas { get; }

    public bool UseLatestVersion { get; }

    public bool NormalizeSchemas { get; }

    internal SubjectNameStrategy KeySubjectNameStrategy { get; }

    internal SubjectNameStrategy ValueSubjectNameStrategy { get; }

    public int MaxSchemasPerSubject { get; }

    public long LatestCacheTtlSeconds { get; }

    public string CredentialsSource { get; }

    public string? UserInfo { get; }

    internal AvroDataConfig Data { get; }

    /// <summary>
    /// The Confluent client's settings. With the <c>URL</c> credentials source (Confluent's default) any user info in
    /// the URLs is taken out of them and sent as basic authentication, as Java's client does.
    /// </summary>
    public SchemaRegistryConfig ClientConfig()
    {
        var config = new SchemaRegistryConfig { MaxCachedSchemas = MaxSchemasPerSubject };
        var urls = Urls.Select(u => new Uri(u)).ToList();
        switch (CredentialsSource)
        {
            case "USER_INFO":
                config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
                config.BasicAuthUserInfo = UserInfo ?? "";
                break;
            case "URL" when urls.FirstOrDefault(u => u.UserInfo.Length > 0) is { } withUser:
                config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
                config.BasicAuthUserInfo = Uri.UnescapeDataString(withUser.UserInfo);
                break;
            case "URL":
                break;
            default:
                throw new ConfigException(BasicAuthCredentialsSourceConfig, CredentialsSource, "Only URL and USER_INFO are supported");
        }

        config.Url = string.Join(",", urls.Select(u => new UriBuilder(u) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/')));
        return config;
    }

    private static ConfigDef Define()
    {
        var def = new ConfigDef()
            .Define(SchemaRegistryUrlConfig, ConfigType.List, Importance.High,
                "Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas.",
                required: true)
            .Define(AutoRegisterSchemasConfig, ConfigType.Boolean, Importance.Medium,
                "Specify if the Serializer should attempt to register the Schema with Schema Registry", defaultValue: true)
            .Define(UseLatestVersionConfig, ConfigType.Boolean, Importance.Low,
                "Specify if the Serializer should use the latest subject version for serialization", defaultValue: false)
            .Define(NormalizeSchemasConfig, ConfigType.Boolean, Importance.Low,
                "Whether to normalize schemas, which generally ignores ordering when it is not significant", defaultValue: false)
            .Define(KeySubjectNameStrategyConfig, ConfigType.Class, Importance.Medium,
                "Determines how to construct the subject name under which the key schema is registered with the schema registry.",
                defaultValue: SubjectNameStrategy.TopicNameStrategyClass)
            .Define(ValueSubjectNameStrategyConfig, ConfigType.Class, Importance.Medium,
                "Determines how to construct the subject name under which the value schema is registered with the schema registry.",
                defaultValue: SubjectNameStrategy.TopicNameStrategyClass)
            .Define(MaxSchemasPerSubjectConfig, ConfigType.Int, Importance.Low,
                "Maximum number of schemas to create or cache locally.", defaultValue: 1000)
            .Define(LatestCacheTtlConfig, ConfigType.Long, Importance.Low,
                "TTL in seconds for caching the latest schema, or -1 for no TTL", defaultValue: -1L)
            .Define(BasicAuthCredentialsSourceConfig, ConfigType.String, Importance.Medium,
                "Specify how to pick the credentials for the Basic Auth header. The supported values are URL and USER_INFO",
                defaultValue: "URL")
            .Define(BasicAuthUserInfoConfig, ConfigType.Password, Importance.Medium,
                "Specify the user info for the Basic Auth in the form of {username}:{password}", defaultValue: "")
            .Define(LegacyBasicAuthUserInfoConfig, ConfigType.Password, Importance.Medium,
                "Specify the user info for the Basic Auth in the form of {username}:{password}", defaultValue: "");
        return AvroDataConfig.Define(def);
    }
}
