using System.Diagnostics.Metrics;

namespace Tributary.Gateway.Kafka.Metrics;

/// <summary>
/// Kafka's <c>kafka.server:type=socket-server-metrics</c> per listener (tag <c>listener</c>): the connections open
/// now (<c>connection-count</c>) and those created (whose rate is <c>connection-creation-rate</c>), counted once a
/// connection is admitted (within <c>max.connections</c> and its address's connection rate).
/// </summary>
public sealed class SocketServerMetrics
{
    private const string Prefix = "kafka.server.socket_server_metrics.";

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _created;

    public SocketServerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BrokerTopicMetrics.MeterName);
        _connections = meter.CreateUpDownCounter<long>(Prefix + "connection_count", description: "Connections open (connection-count).");
        _created = meter.CreateCounter<long>(Prefix + "connection_creation", description: "Connections created (connection-creation-rate).");
    }

    public void Opened(string listener)
    {
        _created.Add(1, Listener(listener));
        _connections.Add(1, Listener(listener));
    }

    public void Closed(string listener) => _connections.Add(-1, Listener(listener));

    private static KeyValuePair<string, object?> Listener(string listener) => new("listener", listener);
}
