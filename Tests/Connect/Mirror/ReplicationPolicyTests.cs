using Tributary.Grains.Connect.Mirror.Policies;

namespace Tributary.Tests.Connect.Mirror;

public sealed class ReplicationPolicyTests
{
    private readonly IReplicationPolicy _default = new DefaultReplicationPolicy();

    [Fact]
    public void The_default_policy_prefixes_the_source_alias()
    {
        Assert.Equal("old.orders", _default.FormatRemoteTopic("old", "orders"));
        Assert.Equal("old", _default.TopicSource("old.orders"));
        Assert.Equal("orders", _default.UpstreamTopic("old.orders"));
    }

    [Fact]
    public void A_topic_without_the_separator_is_not_remote()
    {
        Assert.Null(_default.TopicSource("orders"));
        Assert.Null(_default.UpstreamTopic("orders"));

        // As Java's split, trailing empty parts do not count.
        Assert.Null(_default.TopicSource("orders."));
    }

    [Fact]
    public void Remote_topics_of_remote_topics_lead_back_to_the_original()
    {
        Assert.Equal("b.orders", _default.UpstreamTopic("a.b.orders"));
        Assert.Equal("orders", _default.OriginalTopic("a.b.orders"));
        Assert.True(_default.IsHeartbeatsTopic("a.b.heartbeats"));
    }

    [Fact]
    public void A_custom_separator_is_used_for_names_and_internal_topics()
    {
        IReplicationPolicy policy = new DefaultReplicationPolicy("_");

        Assert.Equal("old_orders", policy.FormatRemoteTopic("old", "orders"));
        Assert.Equal("old", policy.TopicSource("old_orders"));
        Assert.Equal("my.topic", policy.UpstreamTopic("old_my.topic"));
        Assert.Equal("old_checkpoints_internal", policy.CheckpointsTopic("old"));

        IReplicationPolicy kept = new DefaultReplicationPolicy("_", internalTopicSeparatorEnabled: false);
        Assert.Equal("old.checkpoints.internal", kept.CheckpointsTopic("old"));
    }

    [Theory]
    [InlineData("__consumer_offsets")]
    [InlineData(".hidden")]
    [InlineData("connect-offsets-internal")]
    [InlineData("mm2-offset-syncs.old.internal")]
    [InlineData("old.checkpoints.internal")]
    public void Internal_topics_are_recognised(string topic) => Assert.True(_default.IsInternalTopic(topic));

    [Fact]
    public void The_identity_policy_keeps_names_and_takes_every_topic_to_come_from_the_source()
    {
        IReplicationPolicy policy = new IdentityReplicationPolicy("old");

        Assert.Equal("orders", policy.FormatRemoteTopic("old", "orders"));
        Assert.Equal("old", policy.TopicSource("orders"));
        Assert.Equal("orders", policy.UpstreamTopic("orders"));
        Assert.Equal("orders", policy.OriginalTopic("orders"));
    }

    [Fact]
    public void The_identity_policy_still_prefixes_heartbeats()
    {
        IReplicationPolicy policy = new IdentityReplicationPolicy("old");

        Assert.Equal("old.heartbeats", policy.FormatRemoteTopic("old", "heartbeats"));
        Assert.Equal("old", policy.TopicSource("old.heartbeats"));
    }

    [Theory]
    [InlineData("org.apache.kafka.connect.mirror.DefaultReplicationPolicy", typeof(DefaultReplicationPolicy))]
    [InlineData("DefaultReplicationPolicy", typeof(DefaultReplicationPolicy))]
    [InlineData("org.apache.kafka.connect.mirror.IdentityReplicationPolicy", typeof(IdentityReplicationPolicy))]
    [InlineData("Tributary.Grains.Connect.Mirror.Policies.IdentityReplicationPolicy", typeof(IdentityReplicationPolicy))]
    public void Policies_are_found_by_Kafka_and_CSharp_names(string name, Type type) =>
        Assert.IsType(type, ReplicationPolicies.Create(name, ".", true, "old"));
}
