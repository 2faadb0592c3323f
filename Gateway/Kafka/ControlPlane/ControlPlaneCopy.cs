using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Kafka.ControlPlane;

/// <summary>
/// A broker's copy of something the control plane keeps under a version (the ACLs, the client quotas), so that using
/// it costs no call. The copy is asked for again every <see cref="RefreshInterval"/>, and the control plane answers
/// only when the version moved, so a change made through any broker holds on every broker within a second; the broker
/// that made the change reads it at once (<see cref="RefreshAsync"/>). Until the first copy is read, users wait for it
/// (<see cref="ReadyAsync"/>); when the control plane cannot answer, the last copy read stays in force.
/// </summary>
public sealed partial class ControlPlaneCopy<T> : IAsyncDisposable
    where T : class
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private readonly Func<long, Task<(long Version, T Value)?>> _read;
    private readonly string _what;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RateLimitedLog _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Lock _starting = new();
    private volatile State? _state;
    private Task? _first;
    private Task? _refreshing;

    /// <param name="read">Asks the control plane for the thing if its version is not the one given (-1: none read yet); null when unchanged.</param>
    /// <param name="what">What the copy holds, for log lines ("ACLs", "client quotas").</param>
    public ControlPlaneCopy(Func<long, Task<(long Version, T Value)?>> read, string what, ILogger logger, TimeProvider? time = null)
    {
        _read = read;
        _what = what;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The copy last read; null until the first read.</summary>
    public T? Current => _state?.Value;

    /// <summary>Completes once the first copy is read.</summary>
    public ValueTask ReadyAsync(CancellationToken cancellation)
    {
        if (_state is not null)
        {
            return ValueTask.CompletedTask;
        }

        lock (_starting)
        {
            // A first read that failed is tried again by the next caller, rather than every caller failing on one lost call.
            if (_first is { IsFaulted: true } or { IsCanceled: true })
            {
                _first = null;
            }

            _first ??= FirstReadAsync();
            return new ValueTask(_first.WaitAsync(cancellation));
        }
    }

    /// <summary>Reads the thing now if its version moved: after a change made through this broker.</summary>
    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        await _reading.WaitAsync(cancellation);
        try
        {
            if (await _read(_state?.Version ?? -1) is { } read)
            {
                _state = new State(read.Version, read.Value);
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? first;
        lock (_starting)
        {
            _stopping.Cancel();
            first = _first;
        }

        if (first is not null)
        {
            await first.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_refreshing is { } refreshing)
        {
            await refreshing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task FirstReadAsync()
    {
        await RefreshAsync(_stopping.Token);
        lock (_starting)
        {
            // Not once the broker is stopping: nothing would stop the loop.
            if (!_stopping.IsCancellationRequested)
            {
                _refreshing = Task.Run(RefreshLoopAsync);
            }
        }
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await RefreshAsync(_stopping.Token);
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    if (_log.ShouldLog(nameof(LogRefreshFailed), out var suppressed))
                    {
                        LogRefreshFailed(_logger, e, _what, suppressed);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private sealed record State(long Version, T Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cluster's {What}; the last ones read stay in force ({Suppressed} more failures not logged)")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string what, long suppressed);
}
