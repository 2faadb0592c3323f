using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.RestConsumers;

/// <summary>
/// What the owner of a <see cref="RestConsumer"/> must do next for the instance's group membership. The owner does it
/// and hands the step back with its answer to the matching <see cref="RestConsumer"/> method, which gives the next step;
/// null from one of those methods means the membership was stopped or restarted since the step was given: its owner's
/// loop ends.
/// </summary>
public abstract record MembershipStep
{
    /// <summary>List every topic (a pattern subscription is matched against them), then <see cref="RestConsumer.TopicsListed"/>.</summary>
    public sealed record ListTopics : MembershipStep;

    /// <summary>Send this JoinGroup, then <see cref="RestConsumer.Joined"/>.</summary>
    public sealed record Join(GroupJoinRequest Request) : MembershipStep;

    /// <summary>As the leader: find these topics' partition counts (a topic that does not exist is left out), then <see cref="RestConsumer.Described"/>.</summary>
    public sealed record DescribeTopics(IReadOnlyList<string> Topics) : MembershipStep;

    /// <summary>Send this SyncGroup, then <see cref="RestConsumer.Synced"/>.</summary>
    public sealed record Sync(GroupSyncRequest Request) : MembershipStep;

    /// <summary>Wait this long (before the next heartbeat, or before joining again after an error), then <see cref="RestConsumer.Waited"/>.</summary>
    public sealed record Wait(TimeSpan Delay) : MembershipStep;

    /// <summary>Send a Heartbeat as this member of this generation, then <see cref="RestConsumer.HeartbeatAnswered"/>.</summary>
    public sealed record Heartbeat(string MemberId, int GenerationId) : MembershipStep;

    /// <summary>
    /// The group is rebalancing and auto-commit is on: send this OffsetCommit before joining again (its answer does not
    /// matter: the positions stay), then <see cref="RestConsumer.RebalanceCommitted"/>.
    /// </summary>
    public sealed record Commit(OffsetCommit Request) : MembershipStep;
}
