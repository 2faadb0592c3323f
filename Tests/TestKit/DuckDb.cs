using DuckDB.NET.Data;

namespace Tributary.Tests.TestKit;

/// <summary>DuckDB, in memory, as the independent reader of data files (Parquet, JSON, CSV) that the platform writes.</summary>
public static class DuckDb
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

    /// <summary>The first column of the first row as a number; -1 when the query fails (no file matches the glob yet).</summary>
    public static long CountOrMinusOne(string sql)
    {
        try
        {
            return Convert.ToInt64(Query(sql)[0][0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DuckDBException)
        {
            return -1;
        }
    }
}
