using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Tests.Connect.Mirror.Support;

/// <summary>Counts the connector's requests for new task configs and keeps the errors it raises.</summary>
internal sealed class FakeConnectorContext : IConnectorContext
{
    private int _reconfigurations;

    public int Reconfigurations => Volatile.Read(ref _reconfigurations);

    public List<Exception> Errors { get; } = [];

    public void RequestTaskReconfiguration() => Interlocked.Increment(ref _reconfigurations);

    public void RaiseError(Exception error)
    {
        lock (Errors)
        {
            Errors.Add(error);
        }
    }
}
