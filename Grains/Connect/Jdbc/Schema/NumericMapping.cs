namespace Tributary.Grains.Connect.Jdbc.Schema;

/// <summary>
/// How NUMERIC and DECIMAL columns map to Connect types (kafka-connect-jdbc's <c>numeric.mapping</c>): always as a
/// Decimal (<see cref="None"/>), as an integer type when the scale is 0 and the precision fits
/// (<see cref="PrecisionOnly"/>), or also as FLOAT64 when the scale is positive and the precision fits in a long
/// (<see cref="BestFit"/>), or whatever the precision (<see cref="BestFitEagerDouble"/>).
/// </summary>
public enum NumericMapping
{
    None,
    PrecisionOnly,
    BestFit,
    BestFitEagerDouble,
}

public static class NumericMappings
{
    public const string ConfigName = "numeric.mapping";

    public static readonly string[] Names = ["none", "precision_only", "best_fit", "best_fit_eager_double"];

    public static NumericMapping Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => NumericMapping.None,
        "precision_only" => NumericMapping.PrecisionOnly,
        "best_fit" => NumericMapping.BestFit,
        "best_fit_eager_double" => NumericMapping.BestFitEagerDouble,
        _ => throw new ArgumentException($"Unknown numeric.mapping '{name}'", nameof(name)),
    };
}
