namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>How the sink writes a record with a value (kafka-connect-jdbc's <c>InsertMode</c>, <c>insert.mode</c>).</summary>
public enum InsertMode
{
    /// <summary>A plain <c>INSERT</c>: a second record with the same key fails on the table's primary key.</summary>
    Insert,

    /// <summary>An insert that replaces the row with the same key, so that redelivered records are idempotent.</summary>
    Upsert,

    /// <summary>An <c>UPDATE</c> of the row with the record's key; a record without a row changes nothing.</summary>
    Update,
}
