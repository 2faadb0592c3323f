namespace Tributary.Grains.KafkaFormats.Quotas;

/// <summary>How a quota key's value is typed (Kafka's <c>QuotaConfig</c> definitions): integral ones take no fraction.</summary>
public enum ClientQuotaValueType
{
    Long,
    Int,
    Double,
}

/// <summary>The quota keys Kafka defines, and which entities take which.</summary>
public static class ClientQuotaKeys
{
    /// <summary>Bytes a second a user or client id may produce to each broker.</summary>
    public const string ProducerByteRate = "producer_byte_rate";

    /// <summary>Bytes a second a user or client id may fetch from each broker.</summary>
    public const string ConsumerByteRate = "consumer_byte_rate";

    /// <summary>Percentage of one request-handling thread's time a user or client id may take on each broker.</summary>
    public const string RequestPercentage = "request_percentage";

    /// <summary>Partitions a second a user or client id may create or delete.</summary>
    public const string ControllerMutationRate = "controller_mutation_rate";

    /// <summary>Connections a second an IP address may open to each broker.</summary>
    public const string ConnectionCreationRate = "connection_creation_rate";

    /// <summary>The keys of user and client-id entities.</summary>
    public static readonly IReadOnlyDictionary<string, ClientQuotaValueType> UserAndClient = new Dictionary<string, ClientQuotaValueType>(StringComparer.Ordinal)
    {
        [ProducerByteRate] = ClientQuotaValueType.Long,
        [ConsumerByteRate] = ClientQuotaValueType.Long,
        [RequestPercentage] = ClientQuotaValueType.Double,
        [ControllerMutationRate] = ClientQuotaValueType.Double,
    };

    /// <summary>The keys of IP entities.</summary>
    public static readonly IReadOnlyDictionary<string, ClientQuotaValueType> Ip = new Dictionary<string, ClientQuotaValueType>(StringComparer.Ordinal)
    {
        [ConnectionCreationRate] = ClientQuotaValueType.Int,
    };
}
