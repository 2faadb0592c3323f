using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace Tributary.Tests.Perf.RestProxy;

/// <summary>
/// The REST Proxy against native produce in one run: the same 1 KiB JSON records written by Confluent.Kafka, by v2
/// produce requests of many records, and by v3 streaming requests; then the same records read back through a v2
/// consumer instance. Figures are MB/s of record values.
/// </summary>
internal static class RestPerf
{
    public static async Task<List<(string What, string Value, string Against)>> RunAsync(string restUrl, string bootstrap, Arguments arguments)
    {
        var records = arguments.Int("records", 200_000);
        var size = arguments.Int("record-size", 1024);
        var batch = arguments.Int("batch", 500);
        var streams = arguments.Int("streams", 4);
        var partitions = arguments.Int("partitions", 4);
        var run = Guid.NewGuid().ToString("N")[..6];
        var rows = new List<(string, string, string)>();
        foreach (var topic in new[] { "native", "v2", "v3" })
        {
            await PerfTopics.EnsureAsync(bootstrap, $"rest-perf-{topic}-{run}", partitions);
        }

        Console.WriteLine($"native produce, {records} records of {size} B ...");
        var native = ProducerPerf.Run(bootstrap, $"rest-perf-native-{run}", records, size, Acks.All, 5);
        var nativeMbps = native.MegabytesPerSecond;
        rows.Add(($"native produce, {size} B, acks=all (Confluent.Kafka)", $"{nativeMbps:F0} MB/s, {native.RecordsPerSecond:F0} records/s", ""));

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = streams, UseProxy = false }) { BaseAddress = new Uri(restUrl), Timeout = TimeSpan.FromMinutes(10) };
        var values = Enumerable.Range(0, records).Select(i => JsonValue(i, size)).ToArray();
        var valueBytes = values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));

        Console.WriteLine($"v2 produce, {batch} records per request, {streams} at a time ...");
        var v2Seconds = await ProduceV2Async(http, $"rest-perf-v2-{run}", values, batch, streams);
        var v2Mbps = valueBytes / 1e6 / v2Seconds;
        rows.Add(($"REST v2 produce, {batch} records/request, {streams} connections", $"{v2Mbps:F0} MB/s, {records / v2Seconds:F0} records/s", $"{v2Mbps / nativeMbps:F2} x native"));

        Console.WriteLine($"v3 streaming produce, {streams} streams ...");
        var cluster = (await http.GetFromJsonNodeAsync("/v3/clusters"))!["data"]![0]!["cluster_id"]!.GetValue<string>();
        var v3Seconds = await ProduceV3Async(http, $"/v3/clusters/{cluster}/topics/rest-perf-v3-{run}/records", values, streams);
        var v3Mbps = valueBytes / 1e6 / v3Seconds;
        rows.Add(($"REST v3 streaming produce, {streams} streams", $"{v3Mbps:F0} MB/s, {records / v3Seconds:F0} records/s", $"{v3Mbps / nativeMbps:F2} x native"));

        Console.WriteLine("v2 consume through a consumer instance ...");
        var (consumed, consumeSeconds) = await ConsumeV2Async(http, $"rest-perf-v2-{run}", records);
        rows.Add(("REST v2 consume (binary), one instance", $"{valueBytes / 1e6 / consumeSeconds:F0} MB/s, {consumed / consumeSeconds:F0} records/s", ""));
        return rows;
    }

    /// <summary>A JSON document of about <paramref name="size"/> bytes.</summary>
    private static string JsonValue(int i, int size)
    {
        var head = $$"""{"id":{{i}},"payload":" """;
        return head + new string('x', Math.Max(0, size - head.Length - 2)) + "\"}";
    }

    /// <summary>Request bodies are built before the clock starts: the figure is the proxy's, not the load tool's JSON building.</summary>
    private static async Task<double> ProduceV2Async(HttpClient http, string topic, string[] values, int batch, int streams)
    {
        var bodies = Enumerable.Range(0, (values.Length + batch - 1) / batch).Select(r =>
        {
            var body = new StringBuilder("{\"records\":[");
            for (var i = r * batch; i < Math.Min(values.Length, (r + 1) * batch); i++)
            {
                body.Append(i == r * batch ? "" : ",").Append("{\"value\":").Append(values[i]).Append('}');
            }

            return Encoding.UTF8.GetBytes(body.Append("]}").ToString());
        }).ToArray();

        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            for (var r = Interlocked.Increment(ref next); r < bodies.Length; r = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(bodies[r]);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.kafka.json.v2+json");
                using var response = await http.PostAsync($"/topics/{topic}", content);
                response.EnsureSuccessStatusCode();
            }
        })));
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> ProduceV3Async(HttpClient http, string path, string[] values, int streams)
    {
        var chunks = Enumerable.Range(0, streams).Select(s => StreamedRecords.Chunks(values.Where((_, i) => i % streams == s).ToList())).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamedRecords(chunks[s].Chunks) };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var reports = new StreamReader(await response.Content.ReadAsStreamAsync());
            var delivered = 0;
            while (await reports.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("{\"error_code\":200", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"v3 produce failed: {line}");
                }

                delivered++;
            }

            if (delivered != chunks[s].Records)
            {
                throw new InvalidOperationException($"{delivered} delivery reports for {chunks[s].Records} records");
            }
        })));
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<(long Records, double Seconds)> ConsumeV2Async(HttpClient http, string topic, int expected)
    {
        var group = $"rest-perf-{Guid.NewGuid():N}";
        var created = await PostAsync(http, $"/consumers/{group}", """{"name":"reader","format":"binary","auto.offset.reset":"earliest","auto.commit.enable":"false"}""");
        var instance = new Uri(created!["base_uri"]!.GetValue<string>()).AbsolutePath;
        await PostAsync(http, $"{instance}/subscription", $$"""{"topics":["{{topic}}"]}""");
        long read = 0;
        Stopwatch? clock = null;
        while (read < expected)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{instance}/records?timeout=1000&max_bytes=16777216");
            request.Headers.Accept.ParseAdd("application/vnd.kafka.binary.v2+json");
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var batch = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            if (batch.Count > 0)
            {
                // From the first records on: joining the group is not part of the rate.
                clock ??= Stopwatch.StartNew();
                read += batch.Count;
            }
        }

        var seconds = clock!.Elapsed.TotalSeconds;
        await http.DeleteAsync(instance);
        return (read, seconds);
    }

    private static async Task<JsonNode?> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.kafka.v2+json");
        using var response = await http.PostAsync(path, content);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    private static async Task<JsonNode?> GetFromJsonNodeAsync(this HttpClient http, string path) =>
        JsonNode.Parse(await http.GetStringAsync(path));

    /// <summary>v3 records sent in one chunked request body, 64 KiB at a time, as a streaming client sends them.</summary>
    private sealed class StreamedRecords : HttpContent
    {
        private readonly List<byte[]> _chunks;

        public StreamedRecords(List<byte[]> chunks)
        {
            _chunks = chunks;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public static (List<byte[]> Chunks, int Records) Chunks(List<string> values)
        {
            var chunks = new List<byte[]>();
            var buffer = new StringBuilder();
            for (var i = 0; i < values.Count; i++)
            {
                buffer.Append("{\"value\":{\"type\":\"JSON\",\"data\":").Append(values[i]).Append("}}\n");
                if (buffer.Length > 64 * 1024 || i == values.Count - 1)
                {
                    chunks.Add(Encoding.UTF8.GetBytes(buffer.ToString()));
                    buffer.Clear();
                }
            }

            return (chunks, values.Count);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            foreach (var chunk in _chunks)
            {
                await stream.WriteAsync(chunk);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
