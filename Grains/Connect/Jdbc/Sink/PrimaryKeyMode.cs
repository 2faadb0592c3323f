namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>Where the primary key columns come from (kafka-connect-jdbc's <c>PrimaryKeyMode</c>, <c>pk.mode</c>).</summary>
public enum PrimaryKeyMode
{
    /// <summary>No key columns: every record is a new row.</summary>
    None,

    /// <summary>The record's Kafka coordinates: topic, partition and offset.</summary>
    Kafka,

    /// <summary>The record key: a primitive (one column named by <c>pk.fields</c>) or a struct's fields.</summary>
    RecordKey,

    /// <summary>Fields of the record value.</summary>
    RecordValue,
}
