using System.Collections.Frozen;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka;

/// <summary>The handlers this broker serves, by API key: the source of ApiVersions' answer and of dispatch.</summary>
public sealed class KafkaApis(IEnumerable<IKafkaApiHandler> handlers)
{
    private readonly FrozenDictionary<ApiKey, IKafkaApiHandler> _handlers = handlers.ToFrozenDictionary(h => h.ApiKey);

    public IEnumerable<IKafkaApiHandler> All => _handlers.Values.OrderBy(h => h.ApiKey);

    public bool TryGet(ApiKey key, out IKafkaApiHandler handler) => _handlers.TryGetValue(key, out handler!);
}
