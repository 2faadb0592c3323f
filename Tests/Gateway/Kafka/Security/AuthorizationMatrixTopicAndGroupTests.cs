using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;
using static Tributary.Tests.Gateway.Kafka.Security.AuthorizationMatrix;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// The authorization matrix of the remaining topic, group and transactional-id APIs, as Kafka 3.9's KafkaApis guards
/// them: DescribeProducers (READ on the topic), DescribeTopicPartitions and OffsetForLeaderEpoch (DESCRIBE on the
/// topic), LeaveGroup (READ on the group), OffsetDelete (DELETE on the group, READ on the topic), and EndTxn and
/// DescribeTransactions (WRITE and DESCRIBE on the transactional id). Where an allowed call has nothing to act on (no
/// member to remove, no transaction to end), its own error stands for "allowed": what the matrix shows is that only
/// a refusal says the principal may not.
/// </summary>
public sealed class AuthorizationMatrixTopicAndGroupTests(AuthorizationMatrixTests.MatrixBroker broker)
    : IClassFixture<AuthorizationMatrixTests.MatrixBroker>, IAsyncLifetime
{
    private const ErrorCode TopicRefused = ErrorCode.TopicAuthorizationFailed;
    private const ErrorCode GroupRefused = ErrorCode.GroupAuthorizationFailed;
    private const ErrorCode TransactionalIdRefused = ErrorCode.TransactionalIdAuthorizationFailed;

    private readonly AuthorizationMatrix _matrix = new(broker.SaslPort, broker.KafkaPort);

    public Task InitializeAsync() => _matrix.RevokeAsync();

    public async Task DisposeAsync()
    {
        await _matrix.RevokeAsync();
        _matrix.Dispose();
    }

    /// <summary>A refusal as itself, anything else as allowed.</summary>
    private static ErrorCode AllowedUnless(ErrorCode refused, short code) => (ErrorCode)code == refused ? refused : ErrorCode.NoError;

    [Fact]
    public async Task DescribeProducers_NeedsReadOnTheTopic()
    {
        await _matrix.CreateTopicsAsync(Names("m-producers"));
        foreach (var topic in Names("m-producers"))
        {
            await _matrix.ProduceAsync(topic, 1, idempotent: true);
        }

        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Read, "m-producers", TopicRefused, topic =>
        {
            var partition = client.Call<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, new DescribeProducersRequest
            {
                Topics = [new() { Name = topic, PartitionIndexes = [0] }],
            }).Topics.Single().Partitions.Single();
            // Allowed, the idempotent producer that wrote it shows; refused, none does.
            Assert.Equal(partition.ErrorCode == 0 ? 1 : 0, partition.ActiveProducers.Count);
            return Code(partition.ErrorCode);
        });
    }

    [Fact]
    public async Task DescribeTopicPartitions_NeedsDescribeOnTheTopic_AndARefusedTopicShowsNoPartition()
    {
        await _matrix.CreateTopicsAsync(Names("m-topicparts"));
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Describe, "m-topicparts", TopicRefused, topic =>
        {
            var described = client.Call<DescribeTopicPartitionsResponse>(ApiKey.DescribeTopicPartitions, 0, new DescribeTopicPartitionsRequest
            {
                Topics = [new() { Name = topic }],
            }).Topics.Single();
            Assert.Equal(described.ErrorCode == 0 ? 1 : 0, described.Partitions.Count);
            return Code(described.ErrorCode);
        });
    }

    [Fact]
    public async Task OffsetForLeaderEpoch_NeedsDescribeOnTheTopic()
    {
        await _matrix.CreateTopicsAsync(Names("m-epoch"));
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Describe, "m-epoch", TopicRefused, topic =>
        {
            var partition = client.Call<OffsetForLeaderEpochResponse>(ApiKey.OffsetForLeaderEpoch, 4, new OffsetForLeaderEpochRequest
            {
                Topics = [new() { Topic = topic, Partitions = [new() { Partition = 0, LeaderEpoch = 0 }] }],
            }).Topics.Single().Partitions.Single();
            Assert.Equal(partition.ErrorCode == 0, partition.EndOffset >= 0);
            return Code(partition.ErrorCode);
        });
    }

    [Fact]
    public async Task LeaveGroup_NeedsReadOnTheGroup()
    {
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Read, "m-leave", GroupRefused, group =>
            AllowedUnless(GroupRefused, client.Call<LeaveGroupResponse>(ApiKey.LeaveGroup, 5, new LeaveGroupRequest
            {
                GroupId = group,
                Members = [new() { MemberId = "m-nobody" }],
            }).ErrorCode));
    }

    [Fact]
    public async Task OffsetDelete_NeedsDeleteOnTheGroup_AndReadOnTheTopic_AndARefusalKeepsTheOffset()
    {
        await _matrix.CreateTopicsAsync("m-offdel-topic");
        foreach (var group in Names("m-offdel-g"))
        {
            _matrix.Commit(group, "m-offdel-topic", 1);
        }

        using var client = _matrix.Client();
        await _matrix.AllowAsync(ResourceType.Topic, "m-offdel-topic", AclOperation.Read);
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Delete, "m-offdel-g", GroupRefused, async group =>
        {
            var response = Delete(client, group, "m-offdel-topic");
            Assert.Equal(response.ErrorCode == 0, await _matrix.CommittedAsync(group, "m-offdel-topic") is null);
            return Code(response.ErrorCode);
        });

        foreach (var topic in Names("m-offdel-t"))
        {
            await _matrix.CreateTopicsAsync(topic);
            _matrix.Commit("m-offdel-group", topic, 1);
        }

        await _matrix.AllowAsync(ResourceType.Group, "m-offdel-group", AclOperation.Delete);
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Read, "m-offdel-t", TopicRefused, async topic =>
        {
            var partition = Delete(client, "m-offdel-group", topic).Topics.Single().Partitions.Single();
            Assert.Equal(partition.ErrorCode == 0, await _matrix.CommittedAsync("m-offdel-group", topic) is null);
            return Code(partition.ErrorCode);
        });
    }

    [Fact]
    public async Task EndTxn_NeedsWriteOnTheTransactionalId()
    {
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(TransactionalId, AclOperation.Write, "m-endtxn", TransactionalIdRefused, id =>
            AllowedUnless(TransactionalIdRefused, client.Call<EndTxnResponse>(ApiKey.EndTxn, 3, new EndTxnRequest
            {
                TransactionalId = id,
                ProducerId = 12345,
                ProducerEpoch = 0,
                Committed = true,
            }).ErrorCode));
    }

    [Fact]
    public async Task DescribeTransactions_NeedsDescribeOnTheTransactionalId()
    {
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(TransactionalId, AclOperation.Describe, "m-desctxn", TransactionalIdRefused, id =>
        {
            var state = client.Call<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, new DescribeTransactionsRequest
            {
                TransactionalIds = [id],
            }).TransactionStates.Single();
            Assert.Equal(id, state.TransactionalId);
            return AllowedUnless(TransactionalIdRefused, state.ErrorCode);
        });
    }

    private static OffsetDeleteResponse Delete(RawKafkaClient client, string group, string topic) =>
        client.Call<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, new OffsetDeleteRequest
        {
            GroupId = group,
            Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0 }] }],
        });
}
