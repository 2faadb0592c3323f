using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tributary.Tests.Silo.Support;

namespace Tributary.Tests.Silo;

/// <summary>The Schema Registry of the real Silo process, killed with SIGKILL while registrations are in flight.</summary>
public sealed class SchemaRegistryCrashTests : IDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static string Schema(string subject, int fields) =>
        $$"""{"type":"record","name":"R{{subject.Replace("-", "", StringComparison.Ordinal)}}","fields":[{{string.Join(",", Enumerable.Range(0, fields).Select(f => $$"""{"name":"f{{f}}","type":"int","default":0}"""))}}]}""";

    private static async Task<int?> TryRegisterAsync(HttpClient http, string subject, string schema)
    {
        using var content = JsonContent.Create(new { schema }, mediaType: new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType));
        using var response = await http.PostAsync($"/subjects/{subject}/versions", content);
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>() : null;
    }

    [Fact]
    public async Task EveryAcknowledgedRegistration_SurvivesAKillDashNine_AndNoIdIsReused()
    {
        // (subject, version) -> id, for each registration the registry answered.
        var acknowledged = new ConcurrentDictionary<(string Subject, int Version), int>();
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                var subject = $"crash-{w}";
                for (var version = 1; !stop.IsCancellationRequested; version++)
                {
                    try
                    {
                        if (await TryRegisterAsync(http, subject, Schema(subject, version)) is { } id)
                        {
                            acknowledged[(subject, version)] = id;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 40 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.True(acknowledged.Count >= 40, "registrations are acknowledged");
            await silo.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            foreach (var ((subject, version), id) in acknowledged)
            {
                var stored = await http.GetFromJsonAsync<JsonObject>($"/subjects/{subject}/versions/{version}");
                Assert.Equal(id, stored!["id"]!.GetValue<int>());
                var byId = await http.GetFromJsonAsync<JsonObject>($"/schemas/ids/{id}");
                Assert.Equal(JsonNode.Parse(Schema(subject, version))!["name"]!.GetValue<string>(), JsonNode.Parse(byId!["schema"]!.GetValue<string>())!["name"]!.GetValue<string>());
                var usages = await http.GetFromJsonAsync<JsonArray>($"/schemas/ids/{id}/versions");
                Assert.Contains(usages!, u => u!["subject"]!.GetValue<string>() == subject && u["version"]!.GetValue<int>() == version);
            }

            var subjects = (await http.GetFromJsonAsync<string[]>("/subjects"))!;
            Assert.Superset(acknowledged.Keys.Select(k => k.Subject).ToHashSet(), subjects.ToHashSet());

            // The next schema gets an id above every one handed out before the kill, answered or not.
            var next = await TryRegisterAsync(http, "after-crash", Schema("after-crash", 1));
            Assert.NotNull(next);
            Assert.True(next > acknowledged.Values.Max());
            var maxId = (await http.GetFromJsonAsync<JsonObject>($"/schemas/ids/{next}?fetchMaxId=true"))!["maxId"]!.GetValue<int>();
            Assert.Equal(next, maxId);
        }
    }

    [Fact]
    public async Task ImportedVersionsAndIds_SurviveAKillDashNine_AndNewIdsStayAboveThem()
    {
        static async Task<int> SendAsync(HttpClient http, HttpMethod method, string path, object body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, mediaType: new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType)) };
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            Assert.Equal(200, await SendAsync(http, HttpMethod.Put, "/mode", new { mode = "IMPORT" }));
            Assert.Equal(200, await SendAsync(http, HttpMethod.Post, "/subjects/migrated/versions", new { schema = Schema("migrated", 1), id = 700, version = 1 }));
            // Version 80 skips two chunks' worth of numbers: the records in between must not end the subject on reload.
            Assert.Equal(200, await SendAsync(http, HttpMethod.Post, "/subjects/migrated/versions", new { schema = Schema("migrated", 2), id = 900_000, version = 80 }));
            await silo.KillAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            var versions = await http.GetFromJsonAsync<List<int>>("/subjects/migrated/versions");
            Assert.Equal([1, 80], versions!);
            Assert.Equal(900_000, (await http.GetFromJsonAsync<JsonObject>("/subjects/migrated/versions/80"))!["id"]!.GetValue<int>());
            Assert.NotNull(await http.GetFromJsonAsync<JsonObject>("/schemas/ids/700"));

            Assert.Equal(200, await SendAsync(http, HttpMethod.Put, "/mode", new { mode = "READWRITE" }));
            var next = await TryRegisterAsync(http, "after-import", Schema("after-import", 1));
            Assert.True(next > 900_000);
        }
    }

    [Fact]
    public async Task AContextsSchemasIdsAndConfig_SurviveAKillDashNine()
    {
        var ids = new List<int>();
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            using var config = JsonContent.Create(new { compatibility = "NONE" }, mediaType: new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType));
            Assert.True((await http.PutAsync("/config/:.kept:", config)).IsSuccessStatusCode);
            for (var version = 1; version <= 3; version++)
            {
                ids.Add((await TryRegisterAsync(http, ":.kept:orders", Schema("orders", version)))!.Value);
            }

            await silo.KillAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            Assert.Equal([1, 2, 3], ids);
            Assert.Equal([".", ".kept"], (await http.GetFromJsonAsync<string[]>("/contexts"))!);
            Assert.Equal([":.kept:orders"], (await http.GetFromJsonAsync<string[]>("/subjects"))!);
            var byId = await http.GetFromJsonAsync<JsonObject>("/schemas/ids/2?subject=:.kept:orders");
            Assert.Equal(2, JsonNode.Parse(byId!["schema"]!.GetValue<string>())!["fields"]!.AsArray().Count);
            Assert.Equal("NONE", (await http.GetFromJsonAsync<JsonObject>("/config/:.kept:"))!["compatibilityLevel"]!.GetValue<string>());
            Assert.True(await TryRegisterAsync(http, ":.kept:orders", Schema("orders", 4)) > 3);
            Assert.Equal(1, await TryRegisterAsync(http, "orders", Schema("orders", 1)));
        }
    }

    [Fact]
    public async Task AcknowledgedAssociations_SurviveAKillDashNine_AndStillGuardTheirSubject()
    {
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            using var create = JsonContent.Create(
                new { resourceName = "kept", resourceNamespace = "lkc-9", resourceId = "kept-id", associations = new[] { new { schema = new { schema = Schema("kept", 1) } } } },
                mediaType: new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType));
            Assert.True((await http.PostAsync("/associations", create)).IsSuccessStatusCode);
            await silo.KillAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.RegistryUrl) };
            var found = Assert.Single((await http.GetFromJsonAsync<JsonArray>("/associations/resources/kept-id"))!)!;
            Assert.Equal((":.lkc-9:kept-value", "STRONG"), (found["subject"]!.GetValue<string>(), found["lifecycle"]!.GetValue<string>()));
            using var refused = await http.DeleteAsync("/subjects/:.lkc-9:kept-value");
            Assert.Equal(409, (int)refused.StatusCode);
            var versions = await http.GetFromJsonAsync<int[]>("/subjects/:.lkc-9:kept-value/versions");
            Assert.Equal([1], versions!);
        }
    }
}
