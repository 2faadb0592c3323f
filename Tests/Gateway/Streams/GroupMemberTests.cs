using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Streams.Runtime.Group;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// The Streams library's own group member (the classic group protocol run by the library, so that its leader can
/// assign tasks by its own rules) on the real platform: members join, one leads and assigns, everyone gets the
/// leader's assignment; a member joining or leaving makes the others' heartbeats ask for a rejoin; a static member
/// taking another's place puts it out (its commits refused); offsets are committed in the member's generation and
/// read back by Kafka's AdminClient; and in a group shared with librdkafka consumers the embedded consumer protocol
/// is read both ways, whichever side leads.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class GroupMemberTests(BrokerFixture broker) : IClassFixture<BrokerFixture>, IAsyncLifetime
{
    private const int Partitions = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly List<GroupMember> _members = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }

    private GroupMember Member(string group, string name, string? instanceId = null)
    {
        var config = new Dictionary<string, string>
        {
            ["heartbeat.interval.ms"] = "200",
            ["session.timeout.ms"] = "10000",
            ["max.poll.interval.ms"] = "30000",
        };
        if (instanceId is not null)
        {
            config["group.instance.id"] = instanceId;
        }

        var member = new GroupMember(GroupMemberSettings.From(broker.BootstrapServers, group, name, config), NullLogger.Instance);
        _members.Add(member);
        return member;
    }

    /// <summary>The test's own protocol: the member's name as user data; the leader deals the partitions round the members and tells everyone who is in.</summary>
    private static IReadOnlyList<(string, byte[])> Named(string topic, string name) =>
        [("stream", ConsumerProtocol.Write(new ConsumerSubscription([topic], Encoding.UTF8.GetBytes(name), [])))];

    private static IReadOnlyDictionary<string, byte[]> DealRound(string protocol, IReadOnlyList<JoinedMember> members)
    {
        Assert.Equal("stream", protocol);
        var subscriptions = members.OrderBy(m => m.MemberId, StringComparer.Ordinal).Select(m => (m.MemberId, Subscription: ConsumerProtocol.ReadSubscription(m.Metadata))).ToList();
        var names = string.Join(",", subscriptions.Select(s => Encoding.UTF8.GetString(s.Subscription.UserData!)).Order());
        var topic = subscriptions[0].Subscription.Topics[0];
        return subscriptions.Select((s, i) => (s.MemberId, Assignment: ConsumerProtocol.Write(new ConsumerAssignment(
                [.. Enumerable.Range(0, Partitions).Where(p => p % subscriptions.Count == i).Select(p => new TopicPartition(topic, p))],
                Encoding.UTF8.GetBytes(names)))))
            .ToDictionary(a => a.MemberId, a => a.Assignment);
    }

    private static void AssertDealt(string topic, string members, IReadOnlyList<GroupGeneration> generations)
    {
        Assert.Single(generations, g => g.IsLeader);
        Assert.Single(generations.Select(g => g.GenerationId).Distinct());
        var assignments = generations.Select(g => ConsumerProtocol.ReadAssignment(g.Assignment)).ToList();
        Assert.All(assignments, a => Assert.Equal(members, Encoding.UTF8.GetString(a.UserData!)));
        Assert.Equal(Enumerable.Range(0, Partitions), assignments.SelectMany(a => a.Partitions).Select(p => p.Partition.Value).Order());
        Assert.All(assignments.SelectMany(a => a.Partitions), p => Assert.Equal(topic, p.Topic));
        Assert.All(assignments, a => Assert.Equal(Partitions / generations.Count, a.Partitions.Count));
    }

    [Fact]
    public async Task MembersGetTheLeadersAssignment_AndRejoin_WhenAMemberJoinsOrLeaves()
    {
        const string group = "own-member-group";
        const string topic = "own-member-topic";
        await broker.CreateAsync(topic, Partitions);
        using var cancel = new CancellationTokenSource(Timeout);
        var a = Member(group, "a");
        var b = Member(group, "b");

        var first = await Task.WhenAll(a.JoinAsync(Named(topic, "a"), DealRound, cancel.Token), b.JoinAsync(Named(topic, "b"), DealRound, cancel.Token));
        AssertDealt(topic, "a,b", first);
        Assert.False(a.RejoinNeeded || b.RejoinNeeded);

        // A third member's join holds until the other two, told by their heartbeats, join again.
        var c = Member(group, "c");
        var joining = c.JoinAsync(Named(topic, "c"), DealRound, cancel.Token);
        await Wait.UntilAsync(() => a.RejoinNeeded && b.RejoinNeeded, Timeout, "both members' heartbeats to ask for a rejoin");
        Assert.False(a.Lost || b.Lost);
        var second = await Task.WhenAll(a.JoinAsync(Named(topic, "a"), DealRound, cancel.Token), b.JoinAsync(Named(topic, "b"), DealRound, cancel.Token), joining);
        AssertDealt(topic, "a,b,c", second);
        Assert.True(second[0].GenerationId > first[0].GenerationId);

        await c.LeaveAsync(cancel.Token);
        await Wait.UntilAsync(() => a.RejoinNeeded && b.RejoinNeeded, Timeout, "the leave to make the others rejoin");
        var third = await Task.WhenAll(a.JoinAsync(Named(topic, "a"), DealRound, cancel.Token), b.JoinAsync(Named(topic, "b"), DealRound, cancel.Token));
        AssertDealt(topic, "a,b", third);
    }

    [Fact]
    public async Task OffsetsAreCommittedInTheMembersGeneration_AndAStaticMemberReplacedByAnother_IsPutOut()
    {
        const string group = "own-member-static";
        const string topic = "own-member-offsets";
        await broker.CreateAsync(topic, Partitions);
        using var cancel = new CancellationTokenSource(Timeout);
        var first = Member(group, "first", instanceId: "instance-1");
        await first.JoinAsync(Named(topic, "first"), DealRound, cancel.Token);
        await first.CommitAsync([new TopicPartitionOffset(topic, 0, 42), new TopicPartitionOffset(topic, 5, 7)], cancel.Token);

        Assert.Equal([42L, 7L], (await first.CommittedAsync([new TopicPartition(topic, 0), new TopicPartition(topic, 5)], cancel.Token)).Select(o => o.Offset.Value));
        Assert.Equal(Offset.Unset, Assert.Single(await first.CommittedAsync([new TopicPartition(topic, 1)], cancel.Token)).Offset);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            var listed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, [new TopicPartition(topic, 0), new TopicPartition(topic, 5)])]);
            Assert.Equal([42L, 7L], Assert.Single(listed).Partitions.Select(p => p.Offset.Value));
        }

        // Another process with the same group.instance.id takes the place: the first is fenced, and may commit no more.
        var second = Member(group, "second", instanceId: "instance-1");
        await second.JoinAsync(Named(topic, "second"), DealRound, cancel.Token);
        await Wait.UntilAsync(() => first.Lost, Timeout, "the replaced member's heartbeat to find it put out");
        Assert.True(first.RejoinNeeded);
        var refused = await Assert.ThrowsAsync<KafkaException>(() => first.CommitAsync([new TopicPartitionOffset(topic, 0, 99)], cancel.Token));
        Assert.Equal(ErrorCode.FencedInstanceId, refused.Error.Code);

        await second.CommitAsync([new TopicPartitionOffset(topic, 0, 43)], cancel.Token);
        Assert.Equal(43L, Assert.Single(await second.CommittedAsync([new TopicPartition(topic, 0)], cancel.Token)).Offset.Value);

        // Being fenced is final: joining again would put the other out in turn.
        var rejoin = await Assert.ThrowsAsync<KafkaException>(() => first.JoinAsync(Named(topic, "first"), DealRound, cancel.Token));
        Assert.Equal(ErrorCode.FencedInstanceId, rejoin.Error.Code);
        Assert.False(second.RejoinNeeded);
    }

    /// <summary>
    /// A range assignment as librdkafka's range assignor makes it: per topic, members in id order, the first ones one
    /// more partition when it does not divide (alone, the member's group chooses its first choice, <c>stream</c>).
    /// </summary>
    private static IReadOnlyDictionary<string, byte[]> RangeAssign(string protocol, IReadOnlyList<JoinedMember> members)
    {
        Assert.Contains(protocol, new[] { "stream", "range" });
        var ordered = members.Select(m => (m.MemberId, ConsumerProtocol.ReadSubscription(m.Metadata).Topics)).OrderBy(m => m.MemberId, StringComparer.Ordinal).ToList();
        var topic = Assert.Single(ordered.SelectMany(m => m.Topics).Distinct());
        var each = Partitions / ordered.Count;
        var extra = Partitions % ordered.Count;
        return ordered.Select((m, i) =>
        {
            var start = (i * each) + Math.Min(i, extra);
            var count = each + (i < extra ? 1 : 0);
            return (m.MemberId, ConsumerProtocol.Write(new ConsumerAssignment([.. Enumerable.Range(start, count).Select(p => new TopicPartition(topic, p))], null)));
        }).ToDictionary(a => a.MemberId, a => a.Item2);
    }

    private IConsumer<Ignore, Ignore> RangeConsumer(string group, string topic)
    {
        var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = group,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            HeartbeatIntervalMs = 200,
            SessionTimeoutMs = 10_000,
        }).Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    private static IReadOnlyList<(string, byte[])> StreamOrRange(string topic) =>
    [
        ("stream", ConsumerProtocol.Write(new ConsumerSubscription([topic], [1], []))),
        ("range", ConsumerProtocol.Write(new ConsumerSubscription([topic], null, []))),
    ];

    private static async Task<List<int>> AssignedAsync(IConsumer<Ignore, Ignore> consumer, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (consumer.Assignment.Count != count && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        return [.. consumer.Assignment.Select(p => p.Partition.Value).Order()];
    }

    [Fact]
    public async Task InAGroupWithLibrdkafkaConsumers_TheCommonProtocolIsChosen_AndEachSideReadsTheOthersAssignment()
    {
        const string topic = "own-member-mixed";
        await broker.CreateAsync(topic, Partitions);
        using var cancel = new CancellationTokenSource(Timeout);

        // librdkafka leads (it is in the group first, and stays leader when it rejoins): our member reads its assignment.
        using (var consumer = RangeConsumer("mixed-librdkafka-leads", topic))
        {
            Assert.Equal(Enumerable.Range(0, Partitions), await AssignedAsync(consumer, Partitions));
            var member = Member("mixed-librdkafka-leads", "ours");
            var joining = member.JoinAsync(StreamOrRange(topic), (_, _) => throw new InvalidOperationException("librdkafka leads"), cancel.Token);
            var kept = await Task.Run(() => AssignedAsync(consumer, Partitions / 2));
            var generation = await joining;
            Assert.Equal("range", generation.Protocol);
            Assert.False(generation.IsLeader);
            var ours = ConsumerProtocol.ReadAssignment(generation.Assignment).Partitions.Select(p => p.Partition.Value).Order().ToList();
            Assert.Equal(Partitions / 2, ours.Count);
            Assert.Equal(Enumerable.Range(0, Partitions), kept.Concat(ours).Order());
            consumer.Close();
        }

        // Our member leads: librdkafka reads the assignment it made.
        var leader = Member("mixed-we-lead", "ours");
        var alone = await leader.JoinAsync(StreamOrRange(topic), RangeAssign, cancel.Token);
        Assert.True(alone.IsLeader);
        using (var consumer = RangeConsumer("mixed-we-lead", topic))
        {
            await Wait.UntilAsync(() => leader.RejoinNeeded, Timeout, "the librdkafka consumer's join to make the leader rejoin");
            var joining = leader.JoinAsync(StreamOrRange(topic), RangeAssign, cancel.Token);
            var theirs = await Task.Run(() => AssignedAsync(consumer, Partitions / 2));
            var generation = await joining;
            Assert.True(generation.IsLeader);
            Assert.Equal("range", generation.Protocol);
            var ours = ConsumerProtocol.ReadAssignment(generation.Assignment).Partitions.Select(p => p.Partition.Value).Order().ToList();
            Assert.Equal(Partitions / 2, theirs.Count);
            Assert.Equal(Enumerable.Range(0, Partitions), theirs.Concat(ours).Order());
            consumer.Close();
        }
    }

    [Fact]
    public void TheTransactionMetadata_IsWhatLibrdkafkaWritesForTheSameGroupMemberAndGeneration()
    {
        foreach (var instance in new[] { null, "instance-7" })
        {
            var config = new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "metadata-group", GroupInstanceId = instance };
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();

            // A consumer that has not joined: generation -1, no member id.
            var librdkafkas = TransactionGroupMetadata.SerializedForm(consumer.ConsumerGroupMetadata);
            var ours = TransactionGroupMetadata.SerializedForm(
                TransactionGroupMetadata.Create("metadata-group", new GroupGeneration(-1, "", "stream", false, []), instance)!);

            Assert.NotNull(librdkafkas);
            Assert.Equal(librdkafkas, ours);
        }
    }

    [Fact]
    public async Task TransactionalOffsets_GoWithTheMembersGeneration_AndAreRefusedForAGenerationThatHasPassed()
    {
        const string group = "own-member-transactions";
        const string topic = "own-member-transactional";
        await broker.CreateAsync(topic, Partitions);
        using var cancel = new CancellationTokenSource(Timeout);
        var a = Member(group, "a");
        var first = await a.JoinAsync(Named(topic, "a"), DealRound, cancel.Token);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            TransactionalId = "own-member-transactions",
        }).Build();
        producer.InitTransactions(Timeout);

        producer.BeginTransaction();
        producer.Produce(topic, new Message<Null, string> { Value = "in generation " + first.GenerationId });
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 5)], TransactionGroupMetadata.Create(group, first, null)!, Timeout);
        producer.CommitTransaction(Timeout);
        Assert.Equal(5L, Assert.Single(await a.CommittedAsync([new TopicPartition(topic, 0)], cancel.Token)).Offset.Value);

        // Another member joins: the group moves to a new generation, and offsets of the old one are refused.
        var b = Member(group, "b");
        var joining = b.JoinAsync(Named(topic, "b"), DealRound, cancel.Token);
        await Wait.UntilAsync(() => a.RejoinNeeded, Timeout, "the member's heartbeat to ask for a rejoin");
        var second = (await Task.WhenAll(a.JoinAsync(Named(topic, "a"), DealRound, cancel.Token), joining))[0];
        Assert.True(second.GenerationId > first.GenerationId);

        producer.BeginTransaction();
        producer.Produce(topic, new Message<Null, string> { Value = "from a passed generation" });
        var refused = Assert.ThrowsAny<KafkaException>(() =>
        {
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 9)], TransactionGroupMetadata.Create(group, first, null)!, Timeout);
            producer.CommitTransaction(Timeout);
        });
        Assert.True(refused is KafkaTxnRequiresAbortException || refused.Error.Code == ErrorCode.IllegalGeneration, refused.ToString());
        producer.AbortTransaction(Timeout);
        Assert.Equal(5L, Assert.Single(await a.CommittedAsync([new TopicPartition(topic, 0)], cancel.Token)).Offset.Value);

        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 9)], TransactionGroupMetadata.Create(group, second, null)!, Timeout);
        producer.CommitTransaction(Timeout);
        Assert.Equal(9L, Assert.Single(await a.CommittedAsync([new TopicPartition(topic, 0)], cancel.Token)).Offset.Value);
    }
}
