using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka;

/// <summary>One parsed request and where it came from (<see cref="ClientHost"/> as Kafka shows it: <c>/address</c>).</summary>
public sealed record KafkaRequest(
    ApiKey ApiKey,
    short ApiVersion,
    int CorrelationId,
    string? ClientId,
    IKafkaMessage Body,
    string Connection,
    string ClientHost);
