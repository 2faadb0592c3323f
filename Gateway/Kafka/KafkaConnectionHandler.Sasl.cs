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
/// SaslAuthenticate (or raw tokens after a v0 handshake) until the client is authenticated. A refusal is answered
/// after Kafka's <c>connection.failed.authentication.delay.ms</c>, as Kafka delays it, so that guessing is slow; then
/// the connection closes.
/// </summary>
public sealed partial class KafkaConnectionHandler
{
    /// <summary>Kafka's default <c>connection.failed.authentication.delay.ms</c>.</summary>
    private static readonly TimeSpan FailedAuthenticationDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a refused connection waits for the client to read its answer and close.</summary>
    private static readonly TimeSpan RefusalLinger = TimeSpan.FromSeconds(1);

    private async Task<bool> AuthenticateAsync(
        SaslGate sasl, KafkaRequest request, ReadOnlyMemory<byte> frame, ConnectionRequestBytes held, PipeWriter output, KafkaSession session,
        CancellationToken cancellation)
    {
        IKafkaApiMessage response;
        bool close;
        switch (request.Body)
        {
            case SaslHandshakeRequest handshake:
                response = sasl.Handshake(handshake, request.ApiVersion, out close);
                break;
            case SaslAuthenticateRequest authenticate:
                (response, close) = await sasl.AuthenticateAsync(authenticate);
                break;
            default:
                throw new InvalidOperationException($"{request.ApiKey} is not an authentication request.");
        }

        PooledBuffer.Release(frame);
        held.Release(frame.Length);
        await DelayIfRefusedAsync(close, sasl, session, cancellation);
        ResponseFramer.Write(output, request.CorrelationId, RequestHeaders.ResponseHeaderVersion(request.ApiKey, request.ApiVersion), response, request.ApiVersion);
        await output.FlushAsync(cancellation);
        if (close)
        {
            await LingerAsync(output, cancellation);
        }

        return !close;
    }

    /// <summary>A raw SASL token after a v0 handshake, answered with a raw token (int32 size, then its bytes).</summary>
    private async Task<bool> AnswerRawTokenAsync(
        SaslGate sasl, ReadOnlyMemory<byte> frame, ConnectionRequestBytes held, PipeWriter output, KafkaSession session, CancellationToken cancellation)
    {
        var (token, close) = await sasl.AuthenticateRawAsync(frame);
        PooledBuffer.Release(frame);
        held.Release(frame.Length);
        await DelayIfRefusedAsync(close, sasl, session, cancellation);
        if (!close)
        {
            var span = output.GetSpan(4 + token.Length);
            BinaryPrimitives.WriteInt32BigEndian(span, token.Length);
            token.CopyTo(span[4..]);
            output.Advance(4 + token.Length);
            await output.FlushAsync(cancellation);
        }

        return !close;
    }

    /// <summary>
    /// After a refusal is answered: the output is closed, so that the answer goes out before the connection is torn
    /// down, and the client is given a moment to read it and close its side (which ends the wait).
    /// </summary>
    private static async Task LingerAsync(PipeWriter output, CancellationToken closed)
    {
        await output.CompleteAsync();
        try
        {
            await Task.Delay(RefusalLinger, closed);
        }
        catch (OperationCanceledException)
        {
            // The client closed its side, having read the answer.
        }
    }

    /// <summary>Before a refusal is answered: a log line (rate-limited), then the delay.</summary>
    private async Task DelayIfRefusedAsync(bool refused, SaslGate sasl, KafkaSession session, CancellationToken cancellation)
    {
        if (!refused)
        {
            return;
        }

        if (_clientErrors.ShouldLog(nameof(LogAuthenticationFailed), out var suppressed))
        {
            LogAuthenticationFailed(logger, session.Name, session.Listener, sasl.Mechanism ?? "(none enabled was named)", sasl.Failure ?? "", suppressed);
        }

        await Task.Delay(FailedAuthenticationDelay, cancellation);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection} on listener {Listener}: authentication with {Mechanism} failed: {Reason} ({Suppressed} more such lines held back since the last)")]
    private static partial void LogAuthenticationFailed(ILogger logger, string connection, string listener, string mechanism, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing Kafka connection {Connection}: {ApiKey} {When} ({Suppressed} more such lines held back since the last)")]
    private static partial void LogSessionExpired(ILogger logger, string connection, ApiKey apiKey, string when, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection}: {ApiKey} before authentication ({Suppressed} more such lines held back since the last)")]
    private static partial void LogUnauthenticatedRequest(ILogger logger, string connection, ApiKey apiKey, long suppressed);
}
