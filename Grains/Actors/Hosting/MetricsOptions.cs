namespace Tributary.Grains.Actors.Hosting;

/// <summary>
/// <c>Tributary:Metrics</c>: whether the silo keeps its metrics and serves them to Prometheus at <c>/metrics</c> on
/// the health port. Nothing is sent anywhere: a scraper comes for them.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Tributary:Metrics";

    /// <summary>On by default; off, no meter is listened to (recording costs nothing) and <c>/metrics</c> is not served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often each broker works out the lag of its share of the consumer groups, in records and in time (one read
    /// of a record per partition behind). Default 30 s.
    /// </summary>
    public TimeSpan ConsumerLagInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each broker reads the partitions' registrations for its replica counts (partitions, leaders, under-replicated). Default 30 s.</summary>
    public TimeSpan PartitionStateInterval { get; set; } = TimeSpan.FromSeconds(30);
}
