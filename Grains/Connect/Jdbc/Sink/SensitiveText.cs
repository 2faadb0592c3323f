using System.Data.Common;
using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// What the sink says about an error in logs, task traces and error reports. With <c>trim.sensitive.log=true</c>
/// nothing of a record's values may appear, and database messages quote values (<c>invalid input syntax for type
/// integer: "abc"</c>), so a database error is told by its type and SQL state alone, and an error from converting a
/// value by its type alone; the sink's own messages name records by their coordinates only and are kept.
/// </summary>
public static class SensitiveText
{
    public static string Describe(Exception error, JdbcSinkConfig config)
    {
        if (!config.TrimSensitiveLog)
        {
            return error.Message;
        }

        return error switch
        {
            DbException db => $"{db.GetType().Name} with SQL state {db.SqlState ?? "unknown"} (details trimmed: trim.sensitive.log=true)",
            ConnectException and not Api.Data.DataException => error.Message,
            _ => $"{error.GetType().Name} (details trimmed: trim.sensitive.log=true)",
        };
    }

    /// <summary>The error to hand on (to the runtime or the errant record reporter): the original, or one without its details.</summary>
    public static Exception Redact(Exception error, JdbcSinkConfig config) =>
        config.TrimSensitiveLog ? new ConnectException(Describe(error, config)) : error;
}
