using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.RestProxy;
using Tributary.Gateway.RestProxy.V3;
using Tributary.Gateway.RestProxy.V3.Json;

namespace Tributary.Tests.Gateway.RestProxy.V3;

/// <summary>
/// The v3 record stream without a server: the request and the response are pipes with small buffers, so the test is
/// the client and decides when it reads; producing is a stand-in that counts the records the stream takes.
/// </summary>
public sealed class V3RecordStreamTests
{
    private const int Capacity = 16;
    private const int Records = 20_000;
    private const int Bad = 7_777;

    /// <summary>
    /// Reports held by the stream beyond its capacity: those of one read of the request (4 KiB here, about 120
    /// records) and what the response's buffers hold (a flush of about 16 KiB in the writer and 1 KiB in the pipe,
    /// about 200 reports).
    /// </summary>
    private const int Slack = 500;

    [Fact]
    public async Task AClientThatReadsLate_StopsTheStreamTakingRecords_AndStillGetsEveryReportInOrder()
    {
        var request = new Pipe(new PipeOptions(pauseWriterThreshold: 4096, resumeWriterThreshold: 2048, useSynchronizationContext: false));
        var response = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512, useSynchronizationContext: false));
        var context = new DefaultHttpContext();
        context.Features.Set<IRequestBodyPipeFeature>(new RequestBody(request.Reader));
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(response.Writer.AsStream()));

        var taken = 0;
        var allTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waitsForClient = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new EventSignal("StreamWaitsForClient", waitsForClient)));
        var stream = new V3RecordStream(context, records =>
        {
            // Each record's value is its number in the stream, which its report gives back as its offset.
            var reports = records.Select(r => r.Record is { } record
                ? new DeliveryReport(200, null, "cluster", "topic", 0, int.Parse(Encoding.UTF8.GetString(record.Value!.Raw!)), 0, null, new ProduceResponseData("JSON", 4))
                : DeliveryReport.Failure(400, r.Error!)).ToList();
            if (Interlocked.Add(ref taken, records.Count) == Records)
            {
                allTaken.SetResult();
            }

            return Task.FromResult(reports);
        }, new RestProxyLog(loggers), new RestProxyLimits { StreamPendingReports = Capacity });

        var running = stream.RunAsync();
        var sending = SendAsync(request.Writer);

        // The client reads nothing yet: the stream stops taking records long before the end of the request.
        var first = await Task.WhenAny(waitsForClient.Task, allTaken.Task).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first == waitsForClient.Task, "The stream took the whole request while its client read nothing.");
        Assert.InRange(Volatile.Read(ref taken), Capacity, Capacity + Slack);
        Assert.False(sending.IsCompleted);

        // Now it reads, one report at a time: every record is answered, in order, and the stream never runs far ahead.
        var read = 0;
        var mostAhead = 0;
        while (read < Records)
        {
            var result = await response.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is not { } end)
            {
                response.Reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            using (var report = JsonDocument.Parse(buffer.Slice(0, end)))
            {
                var root = report.RootElement;
                if (read == Bad)
                {
                    Assert.Equal(400, root.GetProperty("error_code").GetInt32());
                }
                else
                {
                    Assert.Equal((200, (long)read), (root.GetProperty("error_code").GetInt32(), root.GetProperty("offset").GetInt64()));
                }
            }

            response.Reader.AdvanceTo(buffer.GetPosition(1, end));
            read++;
            mostAhead = Math.Max(mostAhead, Volatile.Read(ref taken) - read);
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(mostAhead, 0, Capacity + Slack);
        Assert.Equal((200, "application/json"), (context.Response.StatusCode, context.Response.ContentType));

        // One report per record, nothing after the last.
        await response.Writer.CompleteAsync();
        var rest = await response.Reader.ReadAsync();
        Assert.True(rest.IsCompleted);
        Assert.Equal(0, rest.Buffer.Length);
    }

    /// <summary>The records one by one, as a streaming client writes them; one has a field of the wrong type.</summary>
    private static async Task SendAsync(PipeWriter request)
    {
        for (var i = 0; i < Records; i++)
        {
            var record = i == Bad ? """{"partition_id":"first","value":{"type":"JSON","data":0}}""" : "{\"value\":{\"type\":\"JSON\",\"data\":" + i + "}}";
            await request.WriteAsync(Encoding.UTF8.GetBytes(record + "\n"));
        }

        await request.CompleteAsync();
    }

    private sealed class RequestBody(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }

    /// <summary>Completes <paramref name="signal"/> when an event of that name is logged.</summary>
    private sealed class EventSignal(string eventName, TaskCompletionSource signal) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == eventName)
            {
                signal.TrySetResult();
            }
        }

        public void Dispose()
        {
        }
    }
}
