using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// SaslAuthenticate (36) once authentication is over, or on a listener without SASL: ILLEGAL_SASL_STATE, as Kafka's
/// KafkaApis answers it. Before authentication on a SASL listener the connection's <c>SaslGate</c> takes it.
/// </summary>
public sealed class SaslAuthenticateHandler : KafkaApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse>
{
    public override ApiKey ApiKey => ApiKey.SaslAuthenticate;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override Task<SaslAuthenticateResponse?> HandleAsync(SaslAuthenticateRequest body, KafkaRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<SaslAuthenticateResponse?>(new SaslAuthenticateResponse
        {
            ErrorCode = (short)ErrorCode.IllegalSaslState,
            ErrorMessage = "SaslAuthenticate request received after successful authentication",
        });
}
