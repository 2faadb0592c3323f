using System.Data.Common;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Connect.Jdbc.Connection;

/// <summary>
/// Opens connections with <c>connection.attempts</c> tries <c>connection.backoff.ms</c> apart (kafka-connect-jdbc's
/// <c>CachedConnectionProvider</c>); when every attempt fails, a <see cref="ConnectException"/> names the database
/// (without its password) and the last error, which becomes the connector's or task's FAILED trace.
/// </summary>
public sealed class DatabaseConnector(JdbcConnectionConfig config, ILogger logger)
{
    public JdbcConnectionConfig Config => config;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = config.Dialect.CreateConnection(config.Url.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException &&
                                      !cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                if (attempt >= config.Attempts)
                {
                    throw new ConnectException(
                        $"Unable to connect to the database ({config.Url.Redacted}) after {attempt} attempt(s): {e.Message}", e);
                }

                logger.LogInformation(
                    "Unable to connect to the database on attempt {Attempt}/{Attempts} ({Error}); trying again in {Backoff} ms",
                    attempt, config.Attempts, e.Message, config.Backoff.TotalMilliseconds);
                await Task.Delay(config.Backoff, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
