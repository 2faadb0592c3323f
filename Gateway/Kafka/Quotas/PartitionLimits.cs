namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>The words of the refusals that requests creating or deleting partitions share.</summary>
public static class PartitionLimits
{
    /// <summary>Kafka's message for THROTTLING_QUOTA_EXCEEDED.</summary>
    public const string QuotaExceeded = "The throttling quota has been exceeded.";

    /// <summary>Kafka's message for a request over its partitions per request, with the numbers and the setting.</summary>
    public static string RequestTooLarge(long requested, int limit) =>
        $"Excessively large number of partitions per request: {requested} requested, over Tributary:Kafka:MaxPartitionsPerRequest ({limit}).";
}
