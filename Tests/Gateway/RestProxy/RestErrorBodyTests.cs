using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// Every error the REST Proxy answers carries Confluent's body (<c>{"error_code": ..., "message": ...}</c>): requests
/// it cannot bind, unknown paths and methods, over-long URLs. What Kestrel refuses before the application sees it keeps
/// Kestrel's empty answer (see PortApi).
/// </summary>
public sealed class RestErrorBodyTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Theory]
    [InlineData("""{"records":[5]}""", "no int/Int-argument constructor/factory method to deserialize from Number value (5)")]
    [InlineData("""{"records":[{"value":1},"text"]}""", "no String-argument constructor/factory method to deserialize from String value ('text')")]
    [InlineData("""{"records":[true]}""", "no boolean/Boolean-argument constructor/factory method to deserialize from Boolean value (true)")]
    [InlineData("""{"records":[[1]]}""", "Cannot deserialize value of type `ProduceRecord` from Array value")]
    [InlineData("""{"records":5}""", "Cannot deserialize value of type `ImmutableList<ProduceRecord>` from Number value")]
    public async Task ARecordThatIsNotAnObject_Is400WithJacksonsReason_AsConfluentAnswers_AndNothingIsWritten(string body, string reason)
    {
        var topic = "rest-unbindable-" + Guid.NewGuid().ToString("N");
        await broker.CreateAsync(topic, 1);
        using var rest = new RestClient(broker.RestUrl);

        var answer = await rest.SendAsync(HttpMethod.Post, $"/topics/{topic}", body, "application/vnd.kafka.json.v2+json");

        Assert.Equal((400, 400), (answer.Status, RestClient.ErrorCode(answer)));
        Assert.Contains(reason, answer.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await rest.GetAsync($"/topics/{topic}/partitions/0/offsets")).Body!["end_offset"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"records":[]}""")]
    [InlineData("""{"records":null}""")]
    public async Task ARequestWithoutRecords_Is422_AsConfluentsValidationAnswers(string body)
    {
        using var rest = new RestClient(broker.RestUrl);

        var answer = await rest.SendAsync(HttpMethod.Post, "/topics/rest-no-records", body, "application/vnd.kafka.binary.v2+json");

        Assert.Equal((422, 422), (answer.Status, RestClient.ErrorCode(answer)));
    }

    [Fact]
    public async Task UnknownPathsMethodsAndOverLongUrls_AreAnsweredWithConfluentsBody()
    {
        using var rest = new RestClient(broker.RestUrl);

        var unknown = await rest.GetAsync("/no/such/resource");
        var wrongMethod = await rest.SendAsync(HttpMethod.Delete, "/topics/anything");
        var longName = await rest.GetAsync("/topics/" + new string('t', 300));
        var overLong = await rest.GetAsync("/topics/" + new string('t', 9 * 1024));

        Assert.Equal((404, 404), (unknown.Status, RestClient.ErrorCode(unknown)));
        Assert.Equal((405, 405), (wrongMethod.Status, RestClient.ErrorCode(wrongMethod)));
        Assert.Equal((404, 40401), (longName.Status, RestClient.ErrorCode(longName)));
        Assert.Equal((414, 414), (overLong.Status, RestClient.ErrorCode(overLong)));
    }
}
