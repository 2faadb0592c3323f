namespace Tributary.Grains.RestConsumers;

/// <summary>The REST Proxy's error codes a consumer instance answers, with Confluent's numbers; 0 for success.</summary>
public enum RestConsumerError
{
    None = 0,

    /// <summary>No instance of that name in the group (or it expired, or is being deleted).</summary>
    InstanceNotFound = 40403,

    /// <summary>An instance of that name exists already.</summary>
    InstanceExists = 40902,

    /// <summary>What Kafka's consumer rejects with IllegalStateException: subscribe after assign (or the reverse), a seek on a partition not assigned.</summary>
    IllegalState = 40903,

    /// <summary>The group refused a commit.</summary>
    KafkaError = 50002,
}
