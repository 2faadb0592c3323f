using System.Globalization;
using Microsoft.Extensions.Options;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka.Brokers;

/// <summary>The Kafka listener's settings (<see cref="KafkaListenerOptions"/>) under Kafka's broker config names.</summary>
internal sealed class ListenerStaticConfigs(IOptions<KafkaListenerOptions> options) : IStaticBrokerConfigSource
{
    public IEnumerable<KeyValuePair<string, string>> StaticBrokerConfigs()
    {
        var o = options.Value;
        return new Dictionary<string, string>
        {
            ["listeners"] = $"PLAINTEXT://:{o.Port.ToString(CultureInfo.InvariantCulture)}",
            ["advertised.listeners"] = $"PLAINTEXT://{o.AdvertisedHost}:{o.EffectiveAdvertisedPort.ToString(CultureInfo.InvariantCulture)}",
            ["socket.request.max.bytes"] = o.MaxRequestBytes.ToString(CultureInfo.InvariantCulture),
            ["max.connections"] = o.MaxConnections.ToString(CultureInfo.InvariantCulture),
            ["auto.create.topics.enable"] = o.AutoCreateTopics ? "true" : "false",
        };
    }
}
