namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// What a database column type is, for mapping it to a Connect schema (the role of JDBC's <c>java.sql.Types</c> in
/// kafka-connect-jdbc): each dialect classifies its own type names.
/// </summary>
public enum SqlTypeKind
{
    Unsupported,
    Boolean,
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Numeric,
    String,
    Bytes,
    Date,
    Time,

    /// <summary>A timestamp without time zone: its values are wall-clock times in <c>db.timezone</c>.</summary>
    Timestamp,

    /// <summary>A timestamp with time zone: its values are instants.</summary>
    TimestampWithTimeZone,
}
