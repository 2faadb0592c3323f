using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Jdbc.Connection;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// Watches the database's tables for the source connector (kafka-connect-jdbc's <c>TableMonitorThread</c>), in the
/// background so that a slow or unreachable database never holds the connector's start (and so the REST call that
/// created it): lists them at once and every <c>table.poll.interval.ms</c>, keeps those the include/exclude lists
/// allow, and calls <paramref name="changed"/> when the set differs (the first listing included), so the connector
/// asks for new task configurations. When the first listing fails after <c>connection.attempts</c>,
/// <paramref name="failed"/> fails the connector; a later failed listing is logged and tried again at the next
/// interval, the tables known so far kept.
/// </summary>
internal sealed class TableMonitor(
    JdbcSourceConfig config, DatabaseConnector connector, Action changed, Action<Exception> failed, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private IReadOnlyList<TableId>? _tables;
    private Task? _loop;

    /// <summary>The tables to read; null until the first listing has succeeded.</summary>
    public IReadOnlyList<TableId>? Tables
    {
        get
        {
            lock (_lock)
            {
                return _tables;
            }
        }
    }

    public void Start() => _loop = Task.Run(() => WatchAsync(_stop.Token), CancellationToken.None);

    internal async Task<IReadOnlyList<TableId>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        var all = await config.Connection.Dialect.ListTablesAsync(connection, config.TableTypes, config.Schema, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(Allowed)];
    }

    private bool Allowed(TableId table) =>
        config.Include.Count > 0
            ? config.Include.Any(table.Matches)
            : !config.Exclude.Any(table.Matches);

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    await Task.Delay(config.TablePollInterval, cancellationToken).ConfigureAwait(false);
                }

                var tables = await ListAsync(cancellationToken).ConfigureAwait(false);
                bool differs;
                lock (_lock)
                {
                    differs = _tables is null || !tables.SequenceEqual(_tables);
                    _tables = tables;
                }

                if (differs)
                {
                    logger.LogInformation("The tables to read changed to [{Tables}]; reconfiguring the tasks", string.Join(", ", tables));
                    changed();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException && first)
            {
                failed(e);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "Could not list the database's tables; trying again in {Interval} ms", config.TablePollInterval.TotalMilliseconds);
            }
            finally
            {
                first = false;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
