using DuckDB.NET.Data;

namespace Tributary.Tests.Connect.Storage.Sink;

/// <summary>DuckDB, in memory, as the independent reader of the sink's files.</summary>
internal static class DuckDb
{
    /// <summary>The rows of a query, each as its columns' values.</summary>
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
