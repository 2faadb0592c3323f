using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Tributary.Tests.Gateway.Kafka.Limits;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// The registry's bounds on a request: a schema nested a hundred records deep is registered, one nested past the Avro
/// bound (512 levels of JSON) is refused as invalid (42201), and a body over
/// <c>Tributary:SchemaRegistry:MaxRequestBodyBytes</c> is refused (413), while a producer is served as usual; chains
/// of diamond references cost a read per version, not one per path.
/// </summary>
public sealed class RegistryLimitTests(DefaultLimitsBroker broker) : IClassFixture<DefaultLimitsBroker>
{
    /// <summary>Record R0 whose optional field holds R1, and so on: four levels of JSON per record.</summary>
    private static string NestedRecords(int records)
    {
        var text = new StringBuilder();
        for (var i = 0; i < records; i++)
        {
            text.Append("{\"type\":\"record\",\"name\":\"R").Append(i).Append("\",\"fields\":[{\"name\":\"f\",\"type\":[\"null\",");
        }

        text.Append("\"int\"");
        for (var i = 0; i < records; i++)
        {
            text.Append("],\"default\":null}]}");
        }

        return text.ToString();
    }

    [Fact]
    public async Task ASchemaNestedAHundredRecordsDeep_IsRegistered_AndOneNestedPastTheBound_IsInvalid()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var registry = new RegistryHttp(broker.RegistryUrl);

        var (deepStatus, deep) = await registry.PostAsync("/subjects/deep-value/versions", new { schema = NestedRecords(100) });
        var (tooDeepStatus, tooDeep) = await registry.PostAsync("/subjects/too-deep-value/versions", new { schema = NestedRecords(200) });

        Assert.Equal(200, deepStatus);
        Assert.True(deep!["id"]!.GetValue<int>() > 0);
        var (fetchedStatus, fetched) = await registry.GetAsync("/subjects/deep-value/versions/latest");
        Assert.Equal(200, fetchedStatus);
        Assert.Equal(NestedRecords(100), fetched!["schema"]!.GetValue<string>());
        Assert.Equal(422, tooDeepStatus);
        Assert.Equal(42201, tooDeep!["error_code"]!.GetValue<int>());
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task ABodyOverTheBound_IsRefusedWith413()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var registry = new RegistryHttp(broker.RegistryUrl);
        var huge = "{\"schema\":\"\\\"string\\\"\",\"doc\":\"" + new string('x', 17 << 20) + "\"}";
        using var http = new HttpClient { BaseAddress = new Uri(broker.RegistryUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/subjects/huge-value/versions") { Content = new StringContent(huge, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(RegistryHttp.ContentType);

        // Announced, and sent only on the registry's go-ahead: its refusal is read, not a connection closed mid-body.
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);

        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal(413, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error_code"]!.GetValue<int>());
        Assert.Equal(404, (await registry.GetAsync("/subjects/huge-value/versions")).Status);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    /// <summary>
    /// Subjects in levels of two, each referencing both of the level below: level 24 reaches level 0 by 2^24 paths,
    /// which resolving path by path would take hours over; read once per version, the chain registers in moments.
    /// </summary>
    [Theory]
    [InlineData("JSON")]
    [InlineData("PROTOBUF")]
    public async Task AChainOfDiamondReferences_RegistersInTimeLinearInItsLength(string schemaType)
    {
        const int levels = 24;
        using var http = new RegistryHttp(broker.RegistryUrl);
        var prefix = $"dag-{schemaType.ToLowerInvariant()}";
        string Name(char side, int level) => schemaType == "JSON" ? $"{side}{level}.json" : $"{side}{level}.proto";

        string Schema(char side, int level) => schemaType == "JSON"
            ? level == 0
                ? """{"type":"object","properties":{"leaf":{"type":"integer"}}}"""
                : "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"" + Name('a', level - 1) + "\"},\"y\":{\"$ref\":\"" + Name('b', level - 1) + "\"}}}"
            : level == 0
                ? $"syntax = \"proto3\"; package dag; message {char.ToUpperInvariant(side)}0 {{ int32 leaf = 1; }}"
                : $"syntax = \"proto3\"; package dag; import \"{Name('a', level - 1)}\"; import \"{Name('b', level - 1)}\"; " +
                  $"message {char.ToUpperInvariant(side)}{level} {{ A{level - 1} x = 1; B{level - 1} y = 2; }}";

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        for (var level = 0; level <= levels; level++)
        {
            foreach (var side in "ab")
            {
                object[] references = level == 0 ? [] :
                [
                    new { name = Name('a', level - 1), subject = $"{prefix}-a{level - 1}", version = 1 },
                    new { name = Name('b', level - 1), subject = $"{prefix}-b{level - 1}", version = 1 },
                ];
                var registered = await http.PostAsync($"/subjects/{prefix}-{side}{level}/versions", new { schemaType, schema = Schema(side, level), references })
                    .WaitAsync(deadline.Token);
                Assert.True(registered.Status == 200, $"level {level}: {registered.Body}");
            }
        }

        var top = await http.GetAsync($"/subjects/{prefix}-a{levels}/versions/1").WaitAsync(deadline.Token);
        Assert.Equal(2, top.Body!["references"]!.AsArray().Count);
    }
}
