using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// Wakes transaction coordinators that nobody else would wake, so that a transaction left open is finished (a stored
/// commit or abort decision) or aborted at its timeout, as Kafka's coordinator does when it loads its transaction log:
/// once this silo is up, those the catalog knows whose state is not yet reported (a restart); and whenever a silo of
/// the cluster dies, every known one, since those that lived there took their timers with them.
/// </summary>
internal sealed partial class TransactionRecovery(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILogger<TransactionRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int ParallelWakes = 16;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(10);

    // Long enough for a cluster that lost a silo under load to settle; a coordinator not woken by then is woken by its
    // producer's next request, or by the next pass.
    private static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(5);

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
                    // Every known id, not only those listed as open: the catalog learns states by one-way reports and
                    // may itself have died with the silo. In the background: a pass that keeps retrying must not hold
                    // back the next death's.
                    _ = Task.Run(() => ResumeAsync(_ => true), CancellationToken.None);
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

    /// <summary>
    /// Wakes the coordinators whose listed state <paramref name="wake"/> picks. Right after a silo died, calls to grains
    /// that lived there can fail until the cluster has caught up: the pass is tried again, for those not yet woken, with
    /// a growing delay, for up to <see cref="RetryFor"/>.
    /// </summary>
    private async Task ResumeAsync(Func<string, bool> wake)
    {
        HashSet<string>? woken = null;
        var delay = FirstRetryDelay;
        var giveUp = DateTime.UtcNow + RetryFor;
        while (!_stopping.IsCancellationRequested && DateTime.UtcNow < giveUp)
        {
            try
            {
                var listed = await grains.GetGrain<ITransactionCatalogGrain>(0).ListAsync();
                woken ??= new HashSet<string>(StringComparer.Ordinal);
                var failed = 0;
                var toWake = listed.Where(l => wake(l.State) && !woken.Contains(l.TransactionalId)).Select(l => l.TransactionalId).ToList();
                // Side by side: a call to a coordinator that lived on the dead silo may wait for its timeout, and must not
                // hold back the others' aborts meanwhile.
                await Parallel.ForEachAsync(toWake, new ParallelOptions { MaxDegreeOfParallelism = ParallelWakes }, async (id, _) =>
                {
                    try
                    {
                        await grains.GetGrain<ITransactionCoordinatorGrain>(id).ResumeAsync();
                        lock (woken)
                        {
                            woken.Add(id);
                        }
                    }
                    catch (Exception e) when (e is TimeoutException or OrleansException)
                    {
                        Interlocked.Increment(ref failed);
                        LogResumeFailed(logger, e.Message);
                    }
                });

                if (failed == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogResumeFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = delay * 2 < LongestRetryDelay ? delay * 2 : LongestRetryDelay;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking transaction coordinators failed: {Reason}")]
    private static partial void LogResumeFailed(ILogger logger, string reason);
}
