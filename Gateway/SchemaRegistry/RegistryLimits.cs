namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// What one Schema Registry request may make the registry hold (section <c>Tributary:SchemaRegistry</c>). Confluent's
/// registry has no such settings.
/// </summary>
public sealed class RegistryLimits
{
    public const string Section = "Tributary:SchemaRegistry";

    /// <summary>
    /// <c>Tributary:SchemaRegistry:MaxRequestBodyBytes</c>: the largest request body (Kestrel's MaxRequestBodySize, for
    /// this port alone); a larger one is answered 413. Default 16 MiB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 16L << 20;

    /// <summary>
    /// <c>Tributary:SchemaRegistry:MaxJsonDepth</c>: the deepest nesting of a request body's JSON; deeper is answered
    /// 400. A schema travels as a string inside the body, and its own nesting is bounded by the schema formats (512
    /// levels for Avro). Default 512.
    /// </summary>
    public int MaxJsonDepth { get; set; } = 512;
}
