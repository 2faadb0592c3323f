using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.RestConsumers;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Tests.RestConsumers;

/// <summary>Instances made for a test, and the group's side of a membership played in memory.</summary>
internal static class Consumers
{
    public static readonly RestConsumerOptions Options = new()
    {
        SessionTimeout = TimeSpan.FromSeconds(10),
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        JoinRetryBackoff = TimeSpan.FromMilliseconds(500),
        PatternCheckHeartbeats = 5,
    };

    public static FakeTimeProvider Clock() => new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public static RestConsumer Created(FakeTimeProvider? time = null, bool autoCommit = false, string reset = "earliest")
    {
        var consumer = new RestConsumer(Options, time ?? Clock());
        Assert.Equal(RestConsumerError.None, consumer.Create(new InstanceConfig("binary", reset, autoCommit, 1000)));
        return consumer;
    }

    public static TopicPartition P(string topic, int partition) => new(topic, partition);

    public static PartitionOffset At(string topic, int partition, long offset) => new(new TopicPartition(topic, partition), offset);

    public static byte[] Assignment(params TopicPartition[] partitions) =>
        ConsumerProtocol.EncodeAssignment(partitions.Select(p => (p.Topic, p.Partition)));

    public static GroupJoinedMember Member(string memberId, params string[] topics) => new(memberId, null, ConsumerProtocol.EncodeSubscription(topics));

    /// <summary>The one protocol's metadata an instance joins with: its subscription.</summary>
    public static byte[] Subscription(this GroupJoinRequest join) => Assert.Single(join.Protocols).Metadata;

    /// <summary>A JoinGroup answer to the leader, listing the members.</summary>
    public static GroupJoinResult Leader(int generation, string memberId, IReadOnlyList<GroupJoinedMember> members) =>
        new(ErrorCode.None, generation, "consumer", RangeAssignor.Name, memberId, memberId, members, false);

    /// <summary>A SyncGroup answer.</summary>
    public static GroupSyncResult Synced(ErrorCode error, byte[] assignment) => new(error, "consumer", RangeAssignor.Name, assignment);

    /// <summary>The answer that gives a new member its id.</summary>
    public static GroupJoinResult MemberIdRequired(string memberId) => GroupJoinResult.Failed(ErrorCode.MemberIdRequired, memberId);

    /// <summary>A failed JoinGroup.</summary>
    public static GroupJoinResult JoinFailed(ErrorCode error, string memberId = "") => GroupJoinResult.Failed(error, memberId);

    /// <summary>A follower's JoinGroup answer.</summary>
    public static GroupJoinResult Follower(string memberId, int generation, string leader = "leader") =>
        new(ErrorCode.None, generation, "consumer", RangeAssignor.Name, leader, memberId, [], false);

    /// <summary>Lists the topics when the step asks for them (a pattern subscription), then expects a join.</summary>
    public static MembershipStep.Join ExpectJoin(RestConsumer consumer, MembershipStep? step, IReadOnlyList<string>? allTopics = null)
    {
        if (step is MembershipStep.ListTopics list)
        {
            step = consumer.TopicsListed(list, allTopics ?? []);
        }

        return Assert.IsType<MembershipStep.Join>(step);
    }

    /// <summary>
    /// Plays the group for an instance alone in its group: the join that asks for a member id, the join that makes it
    /// leader of <paramref name="generation"/>, the topics' partition counts, the sync with its own assignment. Returns
    /// the step after the sync: the wait before the first heartbeat.
    /// </summary>
    public static MembershipStep.Wait JoinAlone(
        RestConsumer consumer, IReadOnlyDictionary<string, int> partitionCounts, string memberId = "m1", int generation = 1,
        MembershipStep? first = null)
    {
        var topics = partitionCounts.Keys.ToList();
        var join = ExpectJoin(consumer, first ?? consumer.StartMembership(), topics);
        join = ExpectJoin(consumer, consumer.Joined(join, MemberIdRequired(memberId)), topics);
        var describe = Assert.IsType<MembershipStep.DescribeTopics>(consumer.Joined(join, Leader(generation, memberId, [new GroupJoinedMember(memberId, null, join.Request.Subscription())])));
        var sync = Assert.IsType<MembershipStep.Sync>(consumer.Described(describe, partitionCounts));
        return Assert.IsType<MembershipStep.Wait>(consumer.Synced(sync, Synced(ErrorCode.None, sync.Request.Assignments[memberId])));
    }

    /// <summary>The wait is over and the heartbeat goes out: the heartbeat step.</summary>
    public static MembershipStep.Heartbeat NextHeartbeat(RestConsumer consumer, MembershipStep? step) =>
        Assert.IsType<MembershipStep.Heartbeat>(consumer.Waited(Assert.IsType<MembershipStep.Wait>(step)));
}
