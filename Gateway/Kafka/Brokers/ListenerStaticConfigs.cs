using System.Globalization;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Gateway.Kafka.Security;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka.Brokers;

/// <summary>The Kafka listener's settings (<see cref="KafkaListenerOptions"/>) under Kafka's broker config names.</summary>
internal sealed class ListenerStaticConfigs(IOptions<KafkaListenerOptions> options, IOptions<KafkaSaslOptions> sasl, BrokerIdentity broker)
    : IStaticBrokerConfigSource
{
    public IEnumerable<KeyValuePair<string, string>> StaticBrokerConfigs()
    {
        var o = options.Value;
        return new Dictionary<string, string>
        {
            ["listeners"] = string.Join(",", broker.Listeners.Select(l => l.Bound)),
            ["advertised.listeners"] = string.Join(",", broker.Listeners.Select(l => l.Advertised)),
            ["sasl.enabled.mechanisms"] = string.Join(",", sasl.Value.Mechanisms()),
            ["sasl.server.max.receive.size"] = sasl.Value.ServerMaxReceiveSize.ToString(CultureInfo.InvariantCulture),
            ["listener.security.protocol.map"] = string.Join(",", broker.Listeners.Select(l => $"{l.Name}:{KafkaListeners.Name(l.Protocol)}")),
            ["socket.request.max.bytes"] = o.MaxRequestBytes.ToString(CultureInfo.InvariantCulture),
            ["max.connections"] = o.MaxConnections.ToString(CultureInfo.InvariantCulture),
            ["auto.create.topics.enable"] = o.AutoCreateTopics ? "true" : "false",
        };
    }
}
