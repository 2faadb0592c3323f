using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Gateway.Kafka.Security;
using Tributary.Gateway.Tls;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// One client connection on the Kafka port. Frames are received as they arrive and handled one at a time, as
/// Kafka's broker does, so responses go back in request order and a producer's pipelined batches reach the log in the
/// order sent. A malformed frame, an unknown API or an unsupported version (other than ApiVersions, which answers it)
/// closes this connection alone, with a log line; such lines are rate-limited per kind (<see cref="RateLimitedLog"/>),
/// so that no client decides how much the broker logs. When the listener stops (the silo shuts down), a connection
/// finishes the request it is handling and closes. Every request's bytes count against the silo's
/// <see cref="QueuedRequestBytes"/> (Kafka's <c>queued.max.request.bytes</c>) from the moment its size is read until
/// its response is written: while that budget is spent, the connection reads no further.
/// </summary>
public sealed partial class KafkaConnectionHandler(
    KafkaApis apis,
    IOptions<KafkaListenerOptions> options,
    SaslMechanisms mechanisms,
    IOptions<KafkaSaslOptions> saslOptions,
    QueuedRequestBytes queuedRequestBytes,
    Acls.BrokerAuthorizer authorizer,
    Quotas.ClientQuotas quotas,
    Metrics.RequestMetrics requestMetrics,
    Metrics.SocketServerMetrics socketMetrics,
    ILogger<KafkaConnectionHandler> logger,
    TimeProvider? time = null) : ConnectionHandler
{
    /// <summary>Frames received and waiting while one is handled.</summary>
    private const int ReadAheadFrames = 2;

    private readonly RateLimitedLog _clientErrors = new();
    private int _connections;

    /// <summary>
    /// Counts a new connection against <see cref="KafkaListenerOptions.MaxConnections"/> as it is accepted, before any
    /// TLS handshake, as Kafka's <c>max.connections</c> does; false (the connection closed, a rate-limited line logged)
    /// when the silo has as many as it takes. Every admitted connection is <see cref="Leave">left</see> once.
    /// </summary>
    public bool TryAdmit(ConnectionContext connection)
    {
        if (Interlocked.Increment(ref _connections) <= options.Value.MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _connections);
        if (_clientErrors.ShouldLog(nameof(LogTooManyConnections), out var suppressed))
        {
            LogTooManyConnections(logger, connection.RemoteEndPoint?.ToString(), options.Value.MaxConnections, suppressed);
        }

        connection.Abort();
        return false;
    }

    /// <summary>
    /// Kafka's <c>connection_creation_rate</c> IP quota, asked before the connection is counted against
    /// <see cref="KafkaListenerOptions.MaxConnections"/>: a connection from an address that has opened more than its
    /// quota allows is held for the throttle time (at most a window, as Kafka bounds it), then closed without a byte
    /// read (a rate-limited line logged), as Kafka closes a throttled socket; true when the connection may go on.
    /// Before the quotas are first read, none applies.
    /// </summary>
    public async Task<bool> WithinConnectionRateAsync(ConnectionContext connection)
    {
        var address = KafkaSession.ClientHostOf(connection.RemoteEndPoint).TrimStart('/');
        var throttle = quotas.RecordConnection(address);
        if (throttle == 0)
        {
            return true;
        }

        if (_clientErrors.ShouldLog(nameof(LogConnectionThrottled), out var suppressed))
        {
            LogConnectionThrottled(logger, address, throttle, suppressed);
        }

        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(throttle), time ?? TimeProvider.System, connection.ConnectionClosed);
        }
        catch (OperationCanceledException)
        {
        }

        connection.Abort();
        return false;
    }

    /// <summary>An admitted connection closed.</summary>
    public void Leave() => Interlocked.Decrement(ref _connections);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var name = $"{connection.ConnectionId} ({connection.RemoteEndPoint})";
        var clientHost = KafkaSession.ClientHostOf(connection.RemoteEndPoint);
        if (connection.Features.Get<KafkaListenerFeature>()?.Listener is not { } listener)
        {
            // An endpoint that does not say which listener it is could be taken for one without authentication.
            connection.Abort();
            return;
        }

        // On an SSL listener the principal is the client certificate's; on a SASL one, SASL's.
        var certificatePrincipal = connection.Features.Get<TlsPrincipalFeature>()?.Principal;
        var session = new KafkaSession(name, clientHost, listener.Name, listener.IsSasl ? new SaslGate(mechanisms, time ?? TimeProvider.System, saslOptions.Value.ConnectionsMaxReauthMs) : null, certificatePrincipal);

        // Kestrel asks connections to close when the listener stops, and waits for them up to the host's shutdown
        // timeout: an idle client would otherwise hold the whole shutdown that long.
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, closing);
        var frames = Channel.CreateBounded<ReceivedFrame>(new BoundedChannelOptions(ReadAheadFrames)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var held = new ConnectionRequestBytes(queuedRequestBytes);
        socketMetrics.Opened(listener.Name);
        var reading = ReadFramesAsync(connection.Transport.Input, frames.Writer, held, session, stop.Token);
        try
        {
            await foreach (var frame in frames.Reader.ReadAllAsync(stop.Token))
            {
                var unauthenticated = session.Unauthenticated;
                var keep = await ProcessAsync(frame, held, connection.Transport.Output, session, stop.Token);
                session.IdleSince = Stopwatch.GetTimestamp();
                if (unauthenticated)
                {
                    session.Handled();
                }

                if (!keep)
                {
                    return;
                }
            }
        }
        catch (MalformedRequestException e)
        {
            if (_clientErrors.ShouldLog(nameof(LogMalformed), out var suppressed))
            {
                LogMalformed(logger, name, e.Message, suppressed);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ConnectionResetException)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
            while (frames.Reader.TryRead(out var unhandled))
            {
                PooledBuffer.Release(unhandled.Bytes);
            }

            held.ReleaseAll();
            connection.Abort();
            socketMetrics.Closed(listener.Name);
        }
    }

    /// <summary>
    /// Assembles frames as bytes arrive, up to <see cref="ReadAheadFrames"/> ahead of the one being handled, so that
    /// receiving the next request overlaps with handling this one; handling itself stays one at a time. Once a frame's
    /// size is read, its bytes are reserved from the silo's budget before the frame is taken: while the budget is
    /// spent, nothing more is read, the pipe fills and the client is held back. A malformed frame completes the
    /// channel with its exception, after the frames before it.
    /// </summary>
    private async Task ReadFramesAsync(
        PipeReader input, ChannelWriter<ReceivedFrame> frames, ConnectionRequestBytes held, KafkaSession session, CancellationToken cancellation)
    {
        var sasl = session.Sasl;
        using var assembler = new FrameAssembler(options.Value.MaxRequestBytes);
        if (sasl is not null)
        {
            // Until it is authenticated a client may send no more than Kafka's sasl.server.max.receive.size at once.
            var beforeAuthentication = (saslOptions.Value.ServerMaxReceiveSize, "sasl.server.max.receive.size");
            var afterAuthentication = (options.Value.MaxRequestBytes, "socket.request.max.bytes");
            assembler.Limit = () => sasl.IsAuthenticated ? afterAuthentication : beforeAuthentication;
        }

        var reserved = false;
        var unauthenticated = false;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellation);
                var buffer = result.Buffer;
                try
                {
                    while (true)
                    {
                        if (!reserved)
                        {
                            if (!assembler.TryReadSize(ref buffer, out var size))
                            {
                                break;
                            }

                            // A muted connection reads no further: its client is being throttled.
                            await UnmutedAsync(session, cancellation);
                            unauthenticated = session.Unauthenticated;
                            if (unauthenticated)
                            {
                                held.ReserveOutsideBudget(size);
                            }
                            else
                            {
                                await held.ReserveAsync(size, cancellation);
                            }

                            reserved = true;
                        }

                        if (!assembler.TryAssemble(ref buffer, out var frame))
                        {
                            break;
                        }

                        reserved = false;
                        await frames.WriteAsync(new ReceivedFrame(frame, Stopwatch.GetTimestamp()), cancellation);
                        if (unauthenticated)
                        {
                            await session.AwaitHandledAsync(cancellation);
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    frames.TryComplete();
                    return;
                }
            }
        }
        catch (Exception e) when (e is MalformedRequestException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
            frames.TryComplete(e is MalformedRequestException ? e : null);
        }
    }

    /// <summary>
    /// Handles one frame; false closes the connection. The frame's bytes go back to the budget once its response is
    /// in the output (before the flush, which waits on the client), or once it is handled when it gets no response;
    /// a frame that closes the connection keeps them until <see cref="ConnectionRequestBytes.ReleaseAll"/>.
    /// </summary>
    private async Task<bool> ProcessAsync(
        ReceivedFrame received, ConnectionRequestBytes held, PipeWriter output, KafkaSession session, CancellationToken cancellation)
    {
        var frame = received.Bytes;
        var connection = session.Name;
        if (session.Sasl is { AwaitsRawToken: true } raw)
        {
            return await AnswerRawTokenAsync(raw, frame, held, output, session, cancellation);
        }

        if (frame.Length < RequestHeaders.FixedPrefix)
        {
            throw new MalformedRequestException($"Frame of {frame.Length} bytes is shorter than a request header.");
        }

        var key = RequestHeaders.ApiKeyOf(frame.Span);
        var version = RequestHeaders.ApiVersionOf(frame.Span);
        var correlationId = RequestHeaders.CorrelationIdOf(frame.Span);
        if (session.Sasl is { IsAuthenticated: false } gate && !gate.Allows(key))
        {
            if (_clientErrors.ShouldLog(nameof(LogUnauthenticatedRequest), out var suppressed))
            {
                LogUnauthenticatedRequest(logger, connection, key, suppressed);
            }

            return false;
        }

        if (session.Sasl is { IsAuthenticated: true } current && !current.Reauthenticates(key) && (current.IsExpired || current.IsReauthenticating))
        {
            // KIP-368: a session the client let lapse ends at its next request, and a re-authentication admits nothing
            // but its own exchange.
            if (_clientErrors.ShouldLog(nameof(LogSessionExpired), out var suppressed))
            {
                LogSessionExpired(logger, connection, key, current.IsReauthenticating ? "during its re-authentication" : "after its authentication expired", suppressed);
            }

            return false;
        }

        if (!ApiMessages.IsKnown(key) || !apis.TryGet(key, out var handler))
        {
            if (_clientErrors.ShouldLog(nameof(LogUnknownApi), out var suppressed))
            {
                LogUnknownApi(logger, connection, (short)key, version, suppressed);
            }

            return false;
        }

        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            if (key != ApiKey.ApiVersions)
            {
                if (_clientErrors.ShouldLog(nameof(LogUnsupportedVersion), out var suppressed))
                {
                    LogUnsupportedVersion(logger, connection, key, version, handler.MinVersion, handler.MaxVersion, suppressed);
                }

                return false;
            }

            // KIP-511: an ApiVersions request newer than we know gets a v0 answer naming the versions we do know.
            ResponseFramer.Write(output, correlationId, 0, new ApiVersionsResponse
            {
                ErrorCode = (short)ErrorCode.UnsupportedVersion,
                ApiKeys = [new() { ApiKey = (short)ApiKey.ApiVersions, MinVersion = handler.MinVersion, MaxVersion = handler.MaxVersion }],
            }, 0);
            PooledBuffer.Release(frame);
            held.Release(frame.Length);
            await output.FlushAsync(cancellation);
            return true;
        }

        var reader = new KafkaReader(frame);
        var header = new RequestHeader();
        header.Read(ref reader, RequestHeaders.RequestHeaderVersion(key, version));
        var body = ApiMessages.CreateRequest(key);
        body.Read(ref reader, version);
        var request = new KafkaRequest(
            key, version, correlationId, header.ClientId, body, connection, session.ClientHost, session.Listener, session.Principal);
        if (session.Sasl is { } sasl && ((!sasl.IsAuthenticated && key != ApiKey.ApiVersions) || sasl.Reauthenticates(key)))
        {
            return await AuthenticateAsync(sasl, request, frame, held, output, session, cancellation);
        }

        IKafkaApiMessage? response;
        long started;
        using var activity = Tracing.RequestTracing.Start(request);
        try
        {
            // Checks answer from the ACLs this broker has read: the first request waits until it has read them. Quotas
            // hold from their first read, which the first request starts.
            await authorizer.ReadyAsync(cancellation);
            quotas.EnsureRead();
            started = Stopwatch.GetTimestamp();
            response = await handler.HandleAsync(request, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            Tracing.RequestTracing.Failed(activity, e);
            // The request's buffer may still be in use by a call that failed here but runs on elsewhere: not released.
            if (_clientErrors.ShouldLog(HandlerFailedKinds[(int)key % HandlerFailedKinds.Length], out var suppressed))
            {
                LogHandlerFailed(logger, e, connection, key, version, suppressed);
            }

            return false;
        }

        if (!request.FrameOutOfPool)
        {
            PooledBuffer.Release(frame);
        }

        var handled = Stopwatch.GetTimestamp();
        var throttle = ThrottleTimeMs(request, response, frame.Length, Stopwatch.GetElapsedTime(started, handled));
        if (response is null)
        {
            held.Release(frame.Length);
            RecordRequest(request, session, received, started, handled, handled, throttle, 0);
            if (request.ClosesConnection)
            {
                return false;
            }

            activity?.Dispose(); // the request is done: a throttle's mute is not its time
            await MuteAsync(session, throttle, cancellation);
            return true;
        }

        var responseBytes = ResponseFramer.Write(output, correlationId, RequestHeaders.ResponseHeaderVersion(key, version), response, version);
        handler.ResponseWritten(response);
        held.Release(frame.Length);
        await output.FlushAsync(cancellation);
        RecordRequest(request, session, received, started, handled, Stopwatch.GetTimestamp(), throttle, responseBytes);
        if (response is IErrorCodeResponse counted && requestMetrics.CountsErrors)
        {
            session.ErrorCodes.Clear();
            counted.CountErrors(session.ErrorCodes, version);
            requestMetrics.RecordErrors(key, session.ErrorCodes);
        }

        // As Kafka since KIP-219, whatever the version: the answer goes at once, then the channel is muted, nothing more
        // read or handled from this client until the throttle time is over; the request's span ends before.
        activity?.Dispose();
        await MuteAsync(session, throttle, cancellation);
        return true;
    }

    /// <summary>
    /// The time the client is to be throttled for this request: the longest of what its handler found (fetched bytes,
    /// controller mutations), what a Produce's bytes cost against <c>producer_byte_rate</c> (the whole request, as
    /// Kafka counts it) and what its request time costs against <c>request_percentage</c>; written into the response's
    /// <c>throttle_time_ms</c>. A Produce with acks=0 (no response) costs no request time, as in Kafka.
    /// </summary>
    private int ThrottleTimeMs(KafkaRequest request, IKafkaApiMessage? response, int frameBytes, TimeSpan elapsed)
    {
        var throttle = request.ThrottleTimeMs;
        if (request.ApiKey == ApiKey.Produce)
        {
            throttle = Math.Max(throttle, quotas.RecordProduced(request, frameBytes));
        }

        if (response is IThrottledResponse throttled)
        {
            throttle = Math.Max(throttle, throttled.ThrottleTimeMs);
        }

        if (response is not null)
        {
            // JoinGroup and SyncGroup spend their time waiting for the group's other members, which Kafka parks in its
            // purgatory without counting: they cost no request time here.
            var spent = request.ApiKey is ApiKey.JoinGroup or ApiKey.SyncGroup ? TimeSpan.Zero : elapsed - request.Waited;
            throttle = Math.Max(throttle, quotas.RecordRequestTime(request, spent));
        }

        if (throttle > 0 && response is IThrottledResponse answered)
        {
            answered.ThrottleTimeMs = throttle;
        }

        return throttle;
    }

    /// <summary>
    /// A handled request's figures: queued from its last byte read (or, when it was read ahead, from the end of the
    /// request before it and that one's mute) until handling began, local for the handling less what it waited for
    /// records or its group (remote), sent while its response was written and flushed.
    /// </summary>
    private void RecordRequest(KafkaRequest request, KafkaSession session, ReceivedFrame received, long started, long handled, long sent, int throttleMs, int responseBytes)
    {
        var handling = Stopwatch.GetElapsedTime(started, handled);
        var remote = request.Waited < handling ? request.Waited : handling;
        var times = new Metrics.RequestTimes(
            QueueMs: Stopwatch.GetElapsedTime(Math.Min(started, Math.Max(received.ReceivedAt, session.IdleSince)), started).TotalMilliseconds,
            LocalMs: (handling - remote).TotalMilliseconds,
            RemoteMs: remote.TotalMilliseconds,
            SendMs: Stopwatch.GetElapsedTime(handled, sent).TotalMilliseconds,
            ThrottleMs: throttleMs);
        var fetchedBy = request.Body is FetchRequest fetch ? (Handlers.FetchHandler.IsFollower(fetch, request) ? Metrics.FetchKind.Follower : Metrics.FetchKind.Consumer) : Metrics.FetchKind.None;
        requestMetrics.Record(request.ApiKey, request.ApiVersion, times, received.Bytes.Length, responseBytes, fetchedBy);
    }

    /// <summary>Mutes the connection for <paramref name="throttleTimeMs"/>: its reader waits too, so that it holds no more of the silo's request budget.</summary>
    private Task MuteAsync(KafkaSession session, int throttleTimeMs, CancellationToken cancellation)
    {
        if (throttleTimeMs <= 0)
        {
            return Task.CompletedTask;
        }

        var clock = time ?? TimeProvider.System;
        session.MutedUntil = clock.GetTimestamp() + (long)(throttleTimeMs / 1000.0 * clock.TimestampFrequency);
        return UnmutedAsync(session, cancellation);
    }

    /// <summary>Completes once the connection's mute, if any, is over.</summary>
    private Task UnmutedAsync(KafkaSession session, CancellationToken cancellation)
    {
        var clock = time ?? TimeProvider.System;
        var left = session.MutedUntil - clock.GetTimestamp();
        return left > 0 ? Task.Delay(TimeSpan.FromSeconds((double)left / clock.TimestampFrequency), clock, cancellation) : Task.CompletedTask;
    }

    /// <summary>One rate-limit kind per API key for handler failures (so one failing API does not hide another's).</summary>
    private static readonly string[] HandlerFailedKinds = [.. Enumerable.Range(0, 128).Select(k => $"{nameof(LogHandlerFailed)}/{k}")];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection}: malformed request: {Reason} ({Suppressed} more such lines held back since the last)")]
    private static partial void LogMalformed(ILogger logger, string connection, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection}: unknown API key {ApiKey} (version {Version}) ({Suppressed} more such lines held back since the last)")]
    private static partial void LogUnknownApi(ILogger logger, string connection, short apiKey, short version, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection {Connection}: {ApiKey} v{Version} is not supported (served: v{Min}-v{Max}) ({Suppressed} more such lines held back since the last)")]
    private static partial void LogUnsupportedVersion(ILogger logger, string connection, ApiKey apiKey, short version, short min, short max, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing Kafka connection {Connection}: handling {ApiKey} v{Version} failed ({Suppressed} more such failures held back since the last)")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string connection, ApiKey apiKey, short version, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Kafka connection from {Address} after {ThrottleMs} ms: over its connection_creation_rate quota ({Suppressed} more such lines held back since the last)")]
    private static partial void LogConnectionThrottled(ILogger logger, string address, int throttleMs, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing Kafka connection from {Remote}: the limit of {Limit} connections is reached ({Suppressed} more such lines held back since the last)")]
    private static partial void LogTooManyConnections(ILogger logger, string? remote, int limit, long suppressed);
}
