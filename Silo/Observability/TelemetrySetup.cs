namespace Tributary.Silo.Observability;

/// <summary>What the silo reports: whether <c>/metrics</c> is served on the health port, and whether requests are traced.</summary>
public sealed record TelemetrySetup(bool Scraped, bool Traced)
{
    public static readonly TelemetrySetup None = new(false, false);
}
