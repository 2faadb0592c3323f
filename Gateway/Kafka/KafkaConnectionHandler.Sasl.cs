using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Security;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// Authentication on a SASL listener: the connection's <see cref="SaslGate"/> answers SaslHandshake and
/// SaslAuthenticate (or raw tokens after a v0 handshake) until the client is authenticated. A refusal is answered, then
/// the connection closes after Kafka's <c>connection.failed.authentication.delay.ms</c>, so that guessing is slow.
/// </summary>
public sealed partial class KafkaConnectionHandler
{
    /// <summary>Kafka's default <c>connection.failed.authentication.delay.ms</c>.</summary>
    private static readonly TimeSpan FailedAuthenticationDelay = TimeSpan.FromMilliseconds(100);

    private async Task<bool> AuthenticateAsync(
        SaslGate sasl, KafkaRequest request, ReadOnlyMemory<byte> frame, ConnectionRequestBytes held, PipeWriter output, KafkaSession session,
        CancellationToken cancellation)
    {
        bool close;
        IKafkaApiMessage response = request.Body switch
        {
            SaslHandshakeRequest handshake => sasl.Handshake(handshake, request.ApiVersion, out close),
            SaslAuthenticateRequest authenticate => sasl.Authenticate(authenticate, out close),
            _ => throw new InvalidOperationException($"{request.ApiKey} is not an authentication request."),
        };
        ResponseFramer.Write(output, request.CorrelationId, RequestHeaders.ResponseHeaderVersion(request.ApiKey, request.ApiVersion), response, request.ApiVersion);
        PooledBuffer.Release(frame);
        held.Release(frame.Length);
        await output.FlushAsync(cancellation);
        return await RefuseIfAsync(close, sasl, session, cancellation);
    }

    /// <summary>A raw SASL token after a v0 handshake, answered with a raw token (int32 size, then its bytes).</summary>
    private async Task<bool> AnswerRawTokenAsync(
        SaslGate sasl, ReadOnlyMemory<byte> frame, ConnectionRequestBytes held, PipeWriter output, KafkaSession session, CancellationToken cancellation)
    {
        var token = sasl.AuthenticateRaw(frame.Span, out var close);
        PooledBuffer.Release(frame);
        held.Release(frame.Length);
        if (!close)
        {
            var span = output.GetSpan(4 + token.Length);
            BinaryPrimitives.WriteInt32BigEndian(span, token.Length);
            token.CopyTo(span[4..]);
            output.Advance(4 + token.Length);
            await output.FlushAsync(cancellation);
        }

        return await RefuseIfAsync(close, sasl, session, cancellation);
    }

    /// <summary>After a refusal: a log line (rate-limited), the delay, then false to close the connection.</summary>
    private async Task<bool> RefuseIfAsync(bool refused, SaslGate sasl, KafkaSession session, CancellationToken cancellation)
    {
        if (!refused)
        {
            return true;
        }

        if (_clientErrors.ShouldLog(nameof(LogAuthenticationFailed), out var suppressed))
        {
            LogAuthenticationFailed(logger, session.Name, session.Listener, sasl.Mechanism ?? "(none enabled was named)", sasl.Failure ?? "", suppressed);
        }

        await Task.Delay(FailedAuthenticationDelay, cancellation);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection} on listener {Listener}: authentication with {Mechanism} failed: {Reason} ({Suppressed} more such lines held back since the last)")]
    private static partial void LogAuthenticationFailed(ILogger logger, string connection, string listener, string mechanism, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection}: {ApiKey} before authentication ({Suppressed} more such lines held back since the last)")]
    private static partial void LogUnauthenticatedRequest(ILogger logger, string connection, ApiKey apiKey, long suppressed);
}
