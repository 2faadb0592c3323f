namespace Tributary.Grains.Connect.Api.Config;

/// <summary>
/// Kafka's <c>ConfigDef.Type</c>, with the C# type a parsed value takes: Boolean <see cref="bool"/>, String
/// <see cref="string"/>, Int <see cref="int"/>, Short <see cref="short"/>, Long <see cref="long"/>, Double
/// <see cref="double"/>, List a read-only list of strings, Class the class name as written (resolved by the plug-in
/// registry), Password <see cref="Config.Password"/>.
/// </summary>
public enum ConfigType
{
    Boolean,
    String,
    Int,
    Short,
    Long,
    Double,
    List,
    Class,
    Password,
}

/// <summary>Kafka's <c>ConfigDef.Importance</c>.</summary>
public enum Importance
{
    High,
    Medium,
    Low,
}

/// <summary>Kafka's <c>ConfigDef.Width</c>: how wide a UI should show the value.</summary>
public enum Width
{
    None,
    Short,
    Medium,
    Long,
}
