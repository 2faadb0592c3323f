using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.Actors.Placement;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// Kafka's expired transactional id cleanup, every <see cref="TransactionCoordinatorOptions.ExpirationCheckInterval"/>:
/// asks each finished coordinator the catalog lists to forget itself once idle past
/// <see cref="TransactionCoordinatorOptions.TransactionalIdExpiration"/>. In a cluster only the controller (the live
/// broker with the lowest id) sweeps, so that one pass covers every id.
/// </summary>
internal sealed partial class TransactionalIdExpiry(
    IGrainFactory grains,
    LiveBrokers brokers,
    IOptions<TributaryOptions> options,
    ILogger<TransactionalIdExpiry> logger) : BackgroundService
{
    private static readonly HashSet<string> Open = new(StringComparer.Ordinal) { "Ongoing", "PrepareCommit", "PrepareAbort" };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Transactions;
        using var timer = new PeriodicTimer(settings.ExpirationCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var live = brokers.Active();
            if (live.Count > 0 && live.Keys.Min() != options.Value.BrokerId)
            {
                continue;
            }

            try
            {
                var listed = await grains.GetGrain<ITransactionCatalogGrain>(0).ListAsync();
                foreach (var id in listed.Where(l => !Open.Contains(l.State)).Select(l => l.TransactionalId))
                {
                    if (await grains.GetGrain<ITransactionCoordinatorGrain>(id).ExpireIfIdleAsync(settings.TransactionalIdExpiration))
                    {
                        LogExpired(logger, id);
                    }
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogSweepFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transactional id {TransactionalId} expired")]
    private static partial void LogExpired(ILogger logger, string transactionalId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for expired transactional ids failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
