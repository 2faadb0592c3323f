using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Grains.Transactions;

/// <summary>
/// Wakes transaction coordinators that nobody else would wake, so that a transaction left open is finished (a stored
/// commit or abort decision) or aborted at its timeout, as Kafka's coordinator does when it loads its transaction log:
/// once this silo is up, those the catalog knows whose state is not yet reported (a restart); and whenever a silo of
/// the cluster dies, those with an unfinished transaction, since the ones that lived there took their timers with them.
/// </summary>
internal sealed partial class TransactionRecovery(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILogger<TransactionRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly HashSet<string> Unfinished = new(StringComparer.Ordinal) { "", "Ongoing", "PrepareCommit", "PrepareAbort" };

    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TransactionRecovery), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        // In the background: the silo does not wait for every coordinator to wake.
        _ = Task.Run(() => ResumeAsync(state => state.Length == 0), CancellationToken.None);
        _ = Task.Run(WatchForDeadSilosAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private async Task WatchForDeadSilosAsync()
    {
        var dead = DeadSilos(membership.CurrentSnapshot);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                var now = DeadSilos(snapshot);
                if (now.Except(dead).Any())
                {
                    await ResumeAsync(Unfinished.Contains);
                }

                dead = now;
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private static HashSet<SiloAddress> DeadSilos(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();

    private async Task ResumeAsync(Func<string, bool> wake)
    {
        try
        {
            var listed = await grains.GetGrain<ITransactionCatalogGrain>(0).ListAsync();
            foreach (var id in listed.Where(l => wake(l.State)).Select(l => l.TransactionalId))
            {
                await grains.GetGrain<ITransactionCoordinatorGrain>(id).ResumeAsync();
            }
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogResumeFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking transaction coordinators failed: {Reason}")]
    private static partial void LogResumeFailed(ILogger logger, string reason);
}
