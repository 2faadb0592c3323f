using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Mirror;

namespace Tributary.Tests.Connect.Mirror;

public sealed class MirrorSourceConfigTests
{
    private readonly MirrorSourceConnector _connector = new();

    internal static Dictionary<string, string> Minimal() => new(StringComparer.Ordinal)
    {
        ["name"] = "mirror",
        ["connector.class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector",
        ["source.cluster.alias"] = "old",
        ["source.cluster.bootstrap.servers"] = "old-broker:9092",
        ["target.cluster.bootstrap.servers"] = "localhost:9092",
    };

    [Fact]
    public void The_minimal_configuration_validates_and_has_Kafka_defaults()
    {
        Assert.All(_connector.Validate(Minimal()), v => Assert.Empty(v.ErrorMessages));

        var config = MirrorSourceConfig.Parse(Minimal());
        Assert.Equal("target", config.TargetAlias);
        Assert.Equal([".*"], config.Parsed.GetList("topics"));
        Assert.Equal([@".*[\-\.]internal", @".*\.replica", "__.*"], config.Parsed.GetList("topics.exclude"));
        Assert.Equal(2, config.TopicReplicationFactor);
        Assert.Equal(TimeSpan.FromMinutes(10), config.RefreshInterval);
        Assert.True(config.SyncTopicConfigs);
        Assert.Equal("old.orders", config.Policy.FormatRemoteTopic(config.SourceAlias, "orders"));
    }

    [Theory]
    [InlineData("source.cluster.alias")]
    [InlineData("source.cluster.bootstrap.servers")]
    [InlineData("target.cluster.bootstrap.servers")]
    public void Required_settings_are_validation_errors_when_missing(string key)
    {
        var properties = Minimal();
        properties.Remove(key);

        Assert.Equal([$"Missing required configuration \"{key}\" which has no default value."], ErrorsOf(properties, key));
        Assert.Throws<ConfigException>(() => MirrorSourceConfig.Parse(properties));
    }

    [Fact]
    public void An_unknown_replication_policy_is_a_validation_error()
    {
        var properties = Minimal();
        properties["replication.policy.class"] = "com.example.MyPolicy";

        Assert.Contains("Unknown replication policy", Assert.Single(ErrorsOf(properties, "replication.policy.class")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_topic_regex_is_a_validation_error()
    {
        var properties = Minimal();
        properties["topics"] = "orders, (unclosed";

        Assert.Contains("'(unclosed' is not a valid regular expression", Assert.Single(ErrorsOf(properties, "topics")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void A_replication_factor_below_one_other_than_minus_one_is_a_validation_error(string factor)
    {
        var properties = Minimal();
        properties["replication.factor"] = factor;

        Assert.Single(ErrorsOf(properties, "replication.factor"));
    }

    [Fact]
    public async Task An_invalid_configuration_stops_the_connector_from_starting()
    {
        var properties = Minimal();
        properties.Remove("source.cluster.alias");

        await Assert.ThrowsAsync<ConfigException>(() => new MirrorSourceConnector().StartAsync(properties, CancellationToken.None));
    }

    [Fact]
    public void The_source_consumer_takes_cluster_settings_then_its_own_and_never_commits()
    {
        var properties = Minimal();
        properties["source.cluster.security.protocol"] = "SASL_SSL";
        properties["source.cluster.sasl.mechanism"] = "PLAIN";
        properties["source.cluster.sasl.jaas.config"] =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"secret\";";
        properties["source.cluster.ssl.truststore.location"] = "/etc/truststore.jks";
        properties["source.consumer.fetch.min.bytes"] = "1024";
        properties["source.consumer.auto.offset.reset"] = "latest";
        properties["source.admin.request.timeout.ms"] = "5000";

        var consumer = MirrorSourceConfig.Parse(properties).Clients.SourceConsumer("replication-consumer");

        Assert.Equal("old-broker:9092", consumer["bootstrap.servers"]);
        Assert.Equal("SASL_SSL", consumer["security.protocol"]);
        Assert.Equal("PLAIN", consumer["sasl.mechanism"]);
        Assert.Equal("alice", consumer["sasl.username"]);
        Assert.Equal("secret", consumer["sasl.password"]);
        Assert.Equal("1024", consumer["fetch.min.bytes"]);
        Assert.Equal("latest", consumer["auto.offset.reset"]);
        Assert.Equal("false", consumer["enable.auto.commit"]);
        Assert.Equal("old->target|mirror|replication-consumer", consumer["client.id"]);

        // The alias is no client setting; Java-only and admin settings stay out of the consumer.
        Assert.DoesNotContain("alias", consumer.Keys);
        Assert.DoesNotContain("sasl.jaas.config", consumer.Keys);
        Assert.DoesNotContain("ssl.truststore.location", consumer.Keys);
        Assert.DoesNotContain("request.timeout.ms", consumer.Keys);
    }

    [Fact]
    public void The_source_consumer_fetches_a_drained_partition_again_within_100_ms_unless_configured_otherwise()
    {
        var consumer = MirrorSourceConfig.Parse(Minimal()).Clients.SourceConsumer("replication-consumer");
        Assert.Equal("100", consumer["fetch.queue.backoff.ms"]);

        var properties = Minimal();
        properties["source.consumer.fetch.queue.backoff.ms"] = "500";
        Assert.Equal("500", MirrorSourceConfig.Parse(properties).Clients.SourceConsumer("replication-consumer")["fetch.queue.backoff.ms"]);
    }

    [Fact]
    public void Admin_clients_go_to_their_own_cluster()
    {
        var properties = Minimal();
        properties["target.cluster.security.protocol"] = "PLAINTEXT";
        properties["target.admin.socket.timeout.ms"] = "5000";

        var clients = MirrorSourceConfig.Parse(properties).Clients;

        Assert.Equal("old-broker:9092", clients.SourceAdmin("a")["bootstrap.servers"]);
        var target = clients.TargetAdmin("b");
        Assert.Equal("localhost:9092", target["bootstrap.servers"]);
        Assert.Equal("PLAINTEXT", target["security.protocol"]);
        Assert.Equal("5000", target["socket.timeout.ms"]);
        Assert.DoesNotContain("socket.timeout.ms", clients.SourceAdmin("a").Keys);
    }

    private List<string> ErrorsOf(Dictionary<string, string> properties, string key) =>
        _connector.Validate(properties).Single(v => v.Name == key).ErrorMessages;
}
