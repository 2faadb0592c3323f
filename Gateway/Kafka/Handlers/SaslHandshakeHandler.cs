using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// SaslHandshake (17) once authentication is over, or on a listener without SASL: ILLEGAL_SASL_STATE, as Kafka's
/// KafkaApis answers it. Before authentication on a SASL listener the connection's <c>SaslGate</c> takes it.
/// </summary>
public sealed class SaslHandshakeHandler : KafkaApiHandler<SaslHandshakeRequest, SaslHandshakeResponse>
{
    public override ApiKey ApiKey => ApiKey.SaslHandshake;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override Task<SaslHandshakeResponse?> HandleAsync(SaslHandshakeRequest body, KafkaRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse { ErrorCode = (short)ErrorCode.IllegalSaslState });
}
