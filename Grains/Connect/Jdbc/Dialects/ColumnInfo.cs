namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// A column of a table as the database describes it: its declared type name, whether it takes nulls, whether it is
/// part of the primary key and whether the database fills it itself (serial, identity, SQLite's rowid alias).
/// </summary>
public sealed record ColumnInfo(string Name, string TypeName, bool Nullable, bool PrimaryKey, bool AutoIncrement);
