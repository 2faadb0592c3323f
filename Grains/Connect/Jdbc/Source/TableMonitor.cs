using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Jdbc.Connection;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// Watches the database's tables for the source connector (kafka-connect-jdbc's <c>TableMonitorThread</c>): lists
/// them at start and every <c>table.poll.interval.ms</c>, keeps those the include/exclude lists allow, and calls
/// <paramref name="changed"/> when the set differs, so the connector asks for new task configurations. A failed listing
/// is logged and tried again at the next interval; the tables known so far stay.
/// </summary>
internal sealed class TableMonitor(JdbcSourceConfig config, DatabaseConnector connector, Action changed, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private IReadOnlyList<TableId> _tables = [];
    private Task? _loop;

    public IReadOnlyList<TableId> Tables
    {
        get
        {
            lock (_lock)
            {
                return _tables;
            }
        }
    }

    /// <summary>Lists the tables once (failing when the database cannot be reached), then keeps watching.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tables = await ListAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _tables = tables;
        }

        _loop = Task.Run(() => WatchAsync(_stop.Token), CancellationToken.None);
    }

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
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(config.TablePollInterval, cancellationToken).ConfigureAwait(false);
                var tables = await ListAsync(cancellationToken).ConfigureAwait(false);
                bool differs;
                lock (_lock)
                {
                    differs = !tables.SequenceEqual(_tables);
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
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "Could not list the database's tables; trying again in {Interval} ms", config.TablePollInterval.TotalMilliseconds);
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
