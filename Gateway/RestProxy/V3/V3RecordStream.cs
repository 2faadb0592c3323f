using System.Buffers;
using System.Threading.Channels;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tributary.Gateway.RestProxy.V3.Json;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// A v3 produce request: one record, or a stream of concatenated JSON records in one chunked request, answered by a
/// stream of delivery reports (one JSON object per line) in the order of the records. The records that have arrived
/// are produced together, so a fast stream costs a grain call per partition per read, not per record. A request that
/// holds one record only is answered as a plain request: its report's code is the response's status.
/// <para>
/// Two loops: one reads records and produces them, the other writes their reports, so a client that sends before it
/// reads (HTTP/1.1 clients mostly do) is not stopped at the first report. Between them the reports wait in a bounded
/// channel of <see cref="RestProxyLimits.StreamPendingReports"/> reports: once that many wait, the reading loop takes no more records from the
/// request until the client reads (backpressure), instead of keeping reports without limit. The reports the proxy holds
/// for one stream are then at most the capacity, those of one read of the request body, and what the response's
/// buffers hold.
/// </para>
/// <para>Threads: the reading loop runs on the request's task, the writing loop on its own; they share only the channel.</para>
/// </summary>
internal sealed class V3RecordStream
{
    /// <summary>When reports keep coming, the response is flushed after about this many bytes of them.</summary>
    private const int FlushBytes = 16 << 10;

    private readonly HttpContext _context;
    private readonly Func<List<(ProduceRequest? Record, string? Error)>, Task<List<DeliveryReport>>> _produce;
    private readonly RestProxyLog _log;
    private readonly int _capacity;
    private readonly int _maxRecordBytes;
    private readonly int _maxJsonDepth;
    private readonly Channel<DeliveryReport> _reports;
    private bool _waitedForClient;

    /// <param name="produce">Produces records that arrived together: one report per record, in their order.</param>
    public V3RecordStream(
        HttpContext context, Func<List<(ProduceRequest? Record, string? Error)>, Task<List<DeliveryReport>>> produce, RestProxyLog log, RestProxyLimits limits)
    {
        var capacity = limits.StreamPendingReports;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxRecordBytes);
        _maxRecordBytes = limits.MaxRecordBytes;
        _maxJsonDepth = limits.MaxJsonDepth;
        _context = context;
        _produce = produce;
        _log = log;
        _capacity = capacity;
        _reports = Channel.CreateBounded<DeliveryReport>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Reads, produces and answers the whole request.</summary>
    public async Task RunAsync()
    {
        var body = _context.Request.BodyReader;
        Task? writing = null;
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(_context.RequestAborted);
                var (records, consumed, malformed) = V3RecordReader.ReadAll(read.Buffer, read.IsCompleted, _maxJsonDepth);
                if (malformed is null && records.Count == 0 && read.Buffer.Length > _maxRecordBytes)
                {
                    malformed = $"A record is larger than {_maxRecordBytes} bytes.";
                }

                var reports = await _produce(records);
                if (malformed is not null)
                {
                    _log.Rejected(_context.Request, StatusCodes.Status400BadRequest, malformed);
                    reports.Add(DeliveryReport.Failure(StatusCodes.Status400BadRequest, malformed));
                }

                var last = malformed is not null || read.IsCompleted;
                body.AdvanceTo(last ? read.Buffer.End : consumed, read.Buffer.End);
                if (writing is null && last && reports.Count == 1)
                {
                    await WriteOneAsync(_context, reports[0].ErrorCode, reports[0]);
                    return;
                }

                writing ??= WriteReportsAsync();
                if (!await EnqueueAsync(reports) || last)
                {
                    return;
                }
            }
        }
        finally
        {
            if (writing is not null)
            {
                _reports.Writer.TryComplete();
                await writing;
            }
        }
    }

    /// <summary>One report as the whole response, with <paramref name="status"/>.</summary>
    public static async Task WriteOneAsync(HttpContext context, int status, DeliveryReport report)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = V3Http.ContentType;
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            report.WriteTo(json);
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Hands the reports to the writing loop, waiting for room; false when that loop has stopped (the client is gone).</summary>
    private async ValueTask<bool> EnqueueAsync(List<DeliveryReport> reports)
    {
        foreach (var report in reports)
        {
            while (!_reports.Writer.TryWrite(report))
            {
                if (!_waitedForClient)
                {
                    _waitedForClient = true;
                    _log.StreamWaitsForClient(_context.Request, _capacity);
                }

                if (!await _reports.Writer.WaitToWriteAsync(_context.RequestAborted))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Writes the reports as they come, one per line, flushing whenever none is waiting (or enough are written).</summary>
    private async Task WriteReportsAsync()
    {
        _context.Response.StatusCode = StatusCodes.Status200OK;
        _context.Response.ContentType = V3Http.ContentType;
        var output = _context.Response.BodyWriter;
        var reports = _reports.Reader;
        try
        {
            using var json = new Utf8JsonWriter((IBufferWriter<byte>)output);
            while (await reports.WaitToReadAsync(_context.RequestAborted))
            {
                var unflushed = 0L;
                while (unflushed < FlushBytes && reports.TryRead(out var report))
                {
                    report.WriteTo(json);
                    json.Flush();
                    output.Write("\n"u8);
                    unflushed += json.BytesCommitted + 1;
                    json.Reset();
                }

                if ((await output.FlushAsync(_context.RequestAborted)).IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            // The reading loop may be waiting for room that this loop will no longer make.
            _reports.Writer.TryComplete();
        }
    }
}
