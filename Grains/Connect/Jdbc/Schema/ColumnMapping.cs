using System.Data.Common;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Schema;

/// <summary>
/// One result column as a struct field: its name, its Connect schema and how a row's value becomes a Connect value.
/// </summary>
public sealed record ColumnMapping(string Name, int Ordinal, ConnectSchema Schema, Func<DbDataReader, int, object?> Read)
{
    /// <summary>
    /// Whether the column is required and <see cref="Read"/> throws <see cref="InvalidCastException"/> on a null: its
    /// values are then read without asking the driver whether each is null.
    /// </summary>
    public bool ThrowsOnNull { get; init; }
}
