using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Grains.Transactions;

/// <summary>
/// Once the silo is up, wakes every transaction coordinator the catalog knows whose state is not yet reported, so that a
/// transaction left open by a restart is finished (a stored commit or abort decision) or aborted at its timeout,
/// as Kafka's coordinator does when it loads its transaction log.
/// </summary>
internal sealed partial class TransactionRecovery(IGrainFactory grains, ILogger<TransactionRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TransactionRecovery), ServiceLifecycleStage.Active, ResumeAsync, _ => Task.CompletedTask);

    private Task ResumeAsync(CancellationToken cancellationToken)
    {
        // In the background: the silo does not wait for every coordinator to wake.
        _ = Task.Run(async () =>
        {
            try
            {
                var listed = await grains.GetGrain<ITransactionCatalogGrain>(0).ListAsync();
                foreach (var id in listed.Where(l => l.State.Length == 0).Select(l => l.TransactionalId))
                {
                    await grains.GetGrain<ITransactionCoordinatorGrain>(id).ResumeAsync();
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogResumeFailed(logger, e.Message);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking transaction coordinators after start failed: {Reason}")]
    private static partial void LogResumeFailed(ILogger logger, string reason);
}
