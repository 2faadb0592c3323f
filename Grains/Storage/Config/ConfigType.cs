namespace Tributary.Grains.Storage.Config;

/// <summary>Kafka's config value types, numbered as DescribeConfigs (v3+) reports them.</summary>
public enum ConfigType : byte
{
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}
