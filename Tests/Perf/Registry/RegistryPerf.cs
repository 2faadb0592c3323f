using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Perf.Registry;

/// <summary>
/// The Schema Registry under load: GET /schemas/ids/{id} from many connections (what every deserializer does),
/// beside a bare Kestrel process answering the same bytes in the same run; and the rate of registering new versions.
/// </summary>
internal static class RegistryPerf
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(string registryUrl, Arguments arguments)
    {
        var connections = arguments.Int("connections", 64);
        var duration = TimeSpan.FromSeconds(arguments.Int("seconds", 10));
        var warmUp = TimeSpan.FromSeconds(2);
        var rows = new List<(string, string, string)>();

        using var seeding = new HttpConnections(registryUrl, 1);
        var ids = new List<int>();
        for (var i = 0; i < arguments.Int("schemas", 100); i++)
        {
            ids.Add(await RegisterAsync(seeding.Client, $"perf-lookup-{i}", $$"""{"type":"record","name":"PerfLookup{{i}}","fields":[{"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"at","type":"long"}]}"""));
        }

        var bodyBytes = (await seeding.Client.GetByteArrayAsync($"/schemas/ids/{ids[0]}")).Length;
        Console.WriteLine($"GET /schemas/ids/{{id}} from {connections} connections ...");
        using (var lookups = new HttpConnections(registryUrl, connections))
        {
            var registry = await HttpLoad.RunAsync(lookups, connections, (worker, i) => $"/schemas/ids/{ids[(int)((worker * 7 + i) % ids.Count)]}", warmUp, duration);
            var (baselineProcess, baselineUrl) = await BareHttpServer.StartAsync(bodyBytes);
            HttpFigures bare;
            try
            {
                using var baselineClient = new HttpConnections(baselineUrl, connections);
                bare = await HttpLoad.RunAsync(baselineClient, connections, (_, _) => "/schemas/ids/1", warmUp, duration);
            }
            finally
            {
                baselineProcess.Kill();
                await baselineProcess.WaitForExitAsync();
            }

            rows.Add(($"registry GET /schemas/ids/{{id}}, {connections} connections", registry.ToString(),
                string.Create(CultureInfo.InvariantCulture, $"({registry.Connections} TCP connections opened; {registry.RequestsPerSecond / bare.RequestsPerSecond:F2} x bare Kestrel)")));
            rows.Add(($"bare Kestrel, same {bodyBytes} B answer, {connections} connections", bare.ToString(), $"({bare.Connections} TCP connections opened)"));
        }

        var registrations = arguments.Int("registrations", 1000);
        foreach (var size in arguments.String("subject-versions", "0,200,2000").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)))
        {
            foreach (var concurrency in arguments.String("register-concurrency", "1,8").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)))
            {
                Console.WriteLine($"registering new versions, {concurrency} at a time, on subjects of {size} versions ...");
                rows.Add(await RegistrationsAsync(registryUrl, concurrency, size, registrations));
            }
        }

        if (arguments.String("formats", "AVRO,JSON,PROTOBUF") is { Length: > 0 } formats)
        {
            foreach (var format in formats.Split(','))
            {
                Console.WriteLine($"{format}: compatibility checks and registrations on a subject of 200 versions ...");
                rows.AddRange(await FormatAsync(registryUrl, format, arguments.Int("checks", 200), arguments.Int("format-registrations", 200)));
            }
        }

        return rows;
    }

    /// <summary>
    /// One schema format on a subject of 200 versions at BACKWARD_TRANSITIVE: compatibility checks of a new version
    /// against all 200 (each check compares 200 pairs), then registrations of new versions (each checked against every
    /// version before it). Version k of each format has the same size: an Avro record whose one field f{k} has a
    /// default; a JSON object whose one property f{k} is an integer, with additional properties allowed if they are
    /// integers (so a property may come and go, as Avro's field with a default may); a Protobuf message whose one field
    /// f{k} has number k + 1 (fields are matched by number, so each version drops one and adds another).
    /// </summary>
    private static async Task<List<(string, string, string)>> FormatAsync(string registryUrl, string format, int checks, int registrations)
    {
        const int Versions = 200;
        using var http = new HttpConnections(registryUrl, 1);
        var subject = $"perf-{format.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}";
        string Schema(int k) => format switch
        {
            "AVRO" => $$"""{"type":"record","name":"PerfFormat","fields":[{"name":"f{{k}}","type":"long","default":0}]}""",
            "PROTOBUF" => $$"""syntax = "proto3"; message PerfFormat { int64 f{{k}} = {{k + 1}}; }""",
            _ => $$$"""{"type":"object","properties":{"f{{{k}}}":{"type":"integer"}},"additionalProperties":{"type":"integer"}}""",
        };
        await SendAsync(http.Client, HttpMethod.Put, $"/config/{subject}", new JsonObject { ["compatibility"] = "BACKWARD_TRANSITIVE" });
        for (var k = 0; k < Versions; k++)
        {
            await RegisterAsync(http.Client, subject, Schema(k), format);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < checks; i++)
        {
            var answer = await SendAsync(http.Client, HttpMethod.Post, $"/compatibility/subjects/{subject}/versions", SchemaBody(Schema(Versions + i), format));
            if (answer["is_compatible"]?.GetValue<bool>() != true)
            {
                throw new InvalidOperationException($"{format} version {Versions + i} was found incompatible: {answer}");
            }
        }

        var checkSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var i = 0; i < registrations; i++)
        {
            await RegisterAsync(http.Client, subject, Schema(Versions + checks + i), format);
        }

        var registerSeconds = clock.Elapsed.TotalSeconds;
        return
        [
            ($"registry {format} compatibility checks against {Versions} versions (BACKWARD_TRANSITIVE)",
                string.Create(CultureInfo.InvariantCulture, $"{checks / checkSeconds:F1} checks/s"),
                string.Create(CultureInfo.InvariantCulture, $"({checks * Versions / checkSeconds:F0} schema pairs/s)")),
            ($"registry {format} registrations on a subject of {Versions}+ versions (BACKWARD_TRANSITIVE)",
                string.Create(CultureInfo.InvariantCulture, $"{registrations / registerSeconds:F1} versions/s"),
                "(each checked against every version before it)"),
        ];
    }

    private static JsonObject SchemaBody(string schema, string format)
    {
        var body = new JsonObject { ["schema"] = schema };
        if (format != "AVRO")
        {
            body["schemaType"] = format;
        }

        return body;
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>
    /// Each worker evolves its own subject under the default BACKWARD level: version k is a record whose one field,
    /// f{k}, has a default, so every version is new (a new id) and compatible with the one before, at a constant size,
    /// so that the rate does not drift as schemas grow. Each subject first gets <paramref name="size"/> versions (not
    /// timed), so that the rate shows what a registration costs on a subject of that size. The ids are counted to show
    /// that each timed call made a new version.
    /// </summary>
    private static async Task<(string, string, string)> RegistrationsAsync(string registryUrl, int concurrency, int size, int total)
    {
        using var http = new HttpConnections(registryUrl, concurrency);
        var run = Guid.NewGuid().ToString("N")[..6];
        string Subject(int worker) => $"perf-register-{run}-{worker}";
        string Schema(string field) => $$"""{"type":"record","name":"PerfRegister","fields":[{"name":"{{field}}","type":"long","default":0}]}""";
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (var k = 0; k < size; k++)
            {
                await RegisterAsync(http.Client, Subject(worker), Schema($"p{k}"));
            }
        })));

        var latencies = new Percentiles(total);
        var ids = new ConcurrentDictionary<int, bool>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (var k = worker; k < total; k += concurrency)
            {
                var started = Stopwatch.GetTimestamp();
                var id = await RegisterAsync(http.Client, Subject(worker), Schema($"f{k}"));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                ids.TryAdd(id, true);
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var (p50, p99, _) = latencies.Compute();
        return ($"registry register new versions, concurrency {concurrency}, subjects of {size} versions",
            string.Create(CultureInfo.InvariantCulture, $"{total / seconds:F0} versions/s, p50 {p50 / 1000:F2} ms, p99 {p99 / 1000:F2} ms"),
            $"({ids.Count} new ids; a subject per worker at BACKWARD, each version a new field with a default)");
    }

    private static async Task<int> RegisterAsync(HttpClient http, string subject, string schema, string format = "AVRO")
    {
        using var content = new StringContent(SchemaBody(schema, format).ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        using var response = await http.PostAsync($"/subjects/{subject}/versions", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!["id"]!.GetValue<int>()
            : throw new InvalidOperationException($"register {subject}: {(int)response.StatusCode} {body}");
    }
}
