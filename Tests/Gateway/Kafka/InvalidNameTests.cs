using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Names Kafka refuses (empty, blank, over 249 characters, characters outside [a-zA-Z0-9._-], "." and "..") and empty or
/// blank group and transactional ids, sent on a bare connection to every API that takes one: each is answered with the
/// error Kafka answers for that API, and the connection serves the next request.
/// </summary>
public sealed class InvalidNameTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    public static readonly TheoryData<string> BadTopicNames = ["", " ", "bad name!", ".", "..", new string('a', 250)];

    /// <summary>Topic names a CreateTopics or AlterConfigs of Kafka refuses as names (the empty one aside where it means something else).</summary>
    public static readonly TheoryData<string> NonEmptyBadTopicNames = [" ", "bad name!", ".", "..", new string('a', 250)];

    public static readonly TheoryData<string> BadIds = ["", " ", "\t"];

    private static readonly byte[] Batch = Batches.Make(1);

    /// <summary>Sends the request, reads its answer, and checks that the same connection answers another request.</summary>
    private T Answer<T>(ApiKey key, short version, IKafkaMessage request)
        where T : IKafkaMessage, new()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        var response = client.Call<T>(key, version, request);
        var next = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "next", ClientSoftwareVersion = "1" });
        Assert.Equal(0, next.ErrorCode);
        return response;
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void Produce_ToABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 5000,
            TopicData = [new() { Name = name, PartitionData = [new() { Index = 0, Records = Batch }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Responses).PartitionResponses).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void Fetch_FromABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<FetchResponse>(ApiKey.Fetch, 12, new FetchRequest
        {
            ReplicaId = -1,
            MaxBytes = 1024,
            SessionEpoch = -1,
            Topics = [new() { Topic = name, Partitions = [new() { Partition = 0, PartitionMaxBytes = 1024 }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Responses).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void ListOffsets_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<ListOffsetsResponse>(ApiKey.ListOffsets, 7, new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new() { Name = name, Partitions = [new() { PartitionIndex = 0, Timestamp = -1 }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void OffsetForLeaderEpoch_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<OffsetForLeaderEpochResponse>(ApiKey.OffsetForLeaderEpoch, 4, new OffsetForLeaderEpochRequest
        {
            ReplicaId = -1,
            Topics = [new() { Topic = name, Partitions = [new() { Partition = 0, CurrentLeaderEpoch = -1, LeaderEpoch = 0 }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void DeleteRecords_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<DeleteRecordsResponse>(ApiKey.DeleteRecords, 2, new DeleteRecordsRequest
        {
            TimeoutMs = 5000,
            Topics = [new() { Name = name, Partitions = [new() { PartitionIndex = 0, Offset = 0 }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void OffsetCommit_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, new OffsetCommitRequest
        {
            GroupId = "names-commit",
            GenerationIdOrMemberEpoch = -1,
            Topics = [new() { Name = name, Partitions = [new() { PartitionIndex = 0, CommittedOffset = 1 }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void TxnOffsetCommit_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, 3, new TxnOffsetCommitRequest
        {
            TransactionalId = "names-txn",
            GroupId = "names-txn-group",
            ProducerId = 1,
            ProducerEpoch = 0,
            Topics = [new() { Name = name, Partitions = [new() { PartitionIndex = 0, CommittedOffset = 1 }] }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void AddPartitionsToTxn_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, new AddPartitionsToTxnRequest
        {
            V3AndBelowTransactionalId = "names-txn",
            V3AndBelowProducerId = 1,
            V3AndBelowProducerEpoch = 0,
            V3AndBelowTopics = [new() { Name = name, Partitions = [0] }],
        });

        var partition = Assert.Single(Assert.Single(response.ResultsByTopicV3AndBelow).ResultsByPartition);
        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, partition.PartitionErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void DescribeProducers_OfABadTopicName_IsInvalidTopicException(string name)
    {
        var response = Answer<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, new DescribeProducersRequest
        {
            Topics = [new() { Name = name, PartitionIndexes = [0] }],
        });

        var partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal((short)KafkaError.InvalidTopicException, partition.ErrorCode);
        Assert.Equal(TopicNames.Validate(name), partition.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void CreateTopics_WithABadTopicName_IsInvalidTopicException_WithKafkasMessage(string name)
    {
        var response = Answer<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
        {
            timeoutMs = 5000,
            Topics = [new() { Name = name, NumPartitions = 1, ReplicationFactor = 1 }],
        });

        var topic = Assert.Single(response.Topics);
        Assert.Equal((short)KafkaError.InvalidTopicException, topic.ErrorCode);
        Assert.Equal(TopicNames.Validate(name), topic.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void DeleteTopics_ByABadName_IsUnknownTopicOrPartition(string name)
    {
        var v6 = Answer<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, new DeleteTopicsRequest { TimeoutMs = 5000, Topics = [new() { Name = name }] });
        var v3 = Answer<DeleteTopicsResponse>(ApiKey.DeleteTopics, 3, new DeleteTopicsRequest { TimeoutMs = 5000, TopicNames = [name] });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(v6.Responses).ErrorCode);
        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(v3.Responses).ErrorCode);
    }

    [Fact]
    public void DeleteTopics_NamingNeitherANameNorAnId_IsInvalidRequest()
    {
        var response = Answer<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, new DeleteTopicsRequest { TimeoutMs = 5000, Topics = [new() { Name = null }] });

        var topic = Assert.Single(response.Responses);
        Assert.Equal((short)KafkaError.InvalidRequest, topic.ErrorCode);
        Assert.Equal("Neither topic name nor id were specified.", topic.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void CreatePartitions_OfABadTopicName_IsUnknownTopicOrPartition(string name)
    {
        var response = Answer<CreatePartitionsResponse>(ApiKey.CreatePartitions, 3, new CreatePartitionsRequest
        {
            TimeoutMs = 5000,
            Topics = [new() { Name = name, Count = 2 }],
        });

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, Assert.Single(response.Results).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void DescribeConfigs_OfABadTopicName_IsInvalidTopicException(string name)
    {
        var response = Answer<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = 2, ResourceName = name }],
        });

        var result = Assert.Single(response.Results);
        Assert.Equal((short)KafkaError.InvalidTopicException, result.ErrorCode);
        Assert.Equal(TopicNames.Validate(name), result.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(NonEmptyBadTopicNames))]
    public void AlterConfigsAndIncrementalAlterConfigs_OfABadTopicName_AreInvalidTopicException(string name)
    {
        var (code, incrementalCode) = AlterConfigs(name);

        Assert.Equal((short)KafkaError.InvalidTopicException, code);
        Assert.Equal((short)KafkaError.InvalidTopicException, incrementalCode);
    }

    [Fact]
    public void AlterConfigsAndIncrementalAlterConfigs_OfTheEmptyTopicName_AreInvalidRequest_TheDefaultTopicResource()
    {
        var (code, incrementalCode) = AlterConfigs("");

        Assert.Equal((short)KafkaError.InvalidRequest, code);
        Assert.Equal((short)KafkaError.InvalidRequest, incrementalCode);
    }

    private (short Code, short IncrementalCode) AlterConfigs(string name)
    {
        var legacy = Answer<AlterConfigsResponse>(ApiKey.AlterConfigs, 2, new AlterConfigsRequest
        {
            Resources = [new() { ResourceType = 2, ResourceName = name, Configs = [new() { Name = "retention.ms", Value = "1000" }] }],
        });
        var incremental = Answer<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, new IncrementalAlterConfigsRequest
        {
            Resources = [new() { ResourceType = 2, ResourceName = name, Configs = [new() { Name = "retention.ms", Value = "1000" }] }],
        });
        return (Assert.Single(legacy.Responses).ErrorCode, Assert.Single(incremental.Responses).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void Metadata_OfABadTopicName_IsInvalidTopicException_AndCreatesNothing(string name)
    {
        var response = Answer<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [new() { Name = name }], AllowAutoTopicCreation = true });

        Assert.Equal((short)KafkaError.InvalidTopicException, Assert.Single(response.Topics).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadTopicNames))]
    public void DescribeTopicPartitions_OfABadTopicName_IsInvalidTopicException(string name)
    {
        var response = Answer<DescribeTopicPartitionsResponse>(ApiKey.DescribeTopicPartitions, 0, new DescribeTopicPartitionsRequest
        {
            Topics = [new() { Name = name }],
        });

        Assert.Equal((short)KafkaError.InvalidTopicException, Assert.Single(response.Topics).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void JoinGroup_WithABadGroupId_IsInvalidGroupId(string groupId)
    {
        var response = Answer<JoinGroupResponse>(ApiKey.JoinGroup, 9, new JoinGroupRequest
        {
            GroupId = groupId,
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 10_000,
            ProtocolType = "consumer",
            Protocols = [new() { Name = "range", Metadata = new byte[] { 0, 0, 0, 0, 0, 0 } }],
        });

        Assert.Equal((short)KafkaError.InvalidGroupId, response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void SyncGroup_WithABadGroupId_IsInvalidGroupId(string groupId) =>
        Assert.Equal((short)KafkaError.InvalidGroupId,
            Answer<SyncGroupResponse>(ApiKey.SyncGroup, 5, new SyncGroupRequest { GroupId = groupId, MemberId = "m" }).ErrorCode);

    [Theory]
    [MemberData(nameof(BadIds))]
    public void Heartbeat_WithABadGroupId_IsInvalidGroupId(string groupId) =>
        Assert.Equal((short)KafkaError.InvalidGroupId,
            Answer<HeartbeatResponse>(ApiKey.Heartbeat, 4, new HeartbeatRequest { GroupId = groupId, MemberId = "m" }).ErrorCode);

    [Theory]
    [MemberData(nameof(BadIds))]
    public void LeaveGroup_WithABadGroupId_IsInvalidGroupId(string groupId) =>
        Assert.Equal((short)KafkaError.InvalidGroupId,
            Answer<LeaveGroupResponse>(ApiKey.LeaveGroup, 5, new LeaveGroupRequest { GroupId = groupId, Members = [new() { MemberId = "m" }] }).ErrorCode);

    [Theory]
    [MemberData(nameof(BadIds))]
    public void OffsetCommit_WithABadGroupId_IsInvalidGroupId(string groupId)
    {
        var response = Answer<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, new OffsetCommitRequest
        {
            GroupId = groupId,
            GenerationIdOrMemberEpoch = -1,
            Topics = [new() { Name = "t", Partitions = [new() { PartitionIndex = 0, CommittedOffset = 1 }] }],
        });

        Assert.Equal((short)KafkaError.InvalidGroupId, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void OffsetFetch_WithABadGroupId_IsInvalidGroupId(string groupId)
    {
        var response = Answer<OffsetFetchResponse>(ApiKey.OffsetFetch, 8, new OffsetFetchRequest { Groups = [new() { GroupId = groupId, Topics = null }] });

        Assert.Equal((short)KafkaError.InvalidGroupId, Assert.Single(response.Groups).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void DescribeGroups_WithABadGroupId_IsInvalidGroupId(string groupId) =>
        Assert.Equal((short)KafkaError.InvalidGroupId,
            Assert.Single(Answer<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, new DescribeGroupsRequest { Groups = [groupId] }).Groups).ErrorCode);

    [Theory]
    [MemberData(nameof(BadIds))]
    public void DeleteGroups_WithABadGroupId_IsInvalidGroupId(string groupId) =>
        Assert.Equal((short)KafkaError.InvalidGroupId,
            Assert.Single(Answer<DeleteGroupsResponse>(ApiKey.DeleteGroups, 2, new DeleteGroupsRequest { GroupsNames = [groupId] }).Results).ErrorCode);

    [Theory]
    [MemberData(nameof(BadIds))]
    public void OffsetDelete_WithABadGroupId_IsInvalidGroupId(string groupId)
    {
        var response = Answer<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, new OffsetDeleteRequest
        {
            GroupId = groupId,
            Topics = [new() { Name = "t", Partitions = [new() { PartitionIndex = 0 }] }],
        });

        Assert.Equal((short)KafkaError.InvalidGroupId, response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void TxnOffsetCommit_WithABadGroupId_IsInvalidGroupId(string groupId)
    {
        var response = Answer<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, 3, new TxnOffsetCommitRequest
        {
            TransactionalId = "names-txn",
            GroupId = groupId,
            ProducerId = 1,
            ProducerEpoch = 0,
            Topics = [new() { Name = "t", Partitions = [new() { PartitionIndex = 0, CommittedOffset = 1 }] }],
        });

        Assert.Equal((short)KafkaError.InvalidGroupId, Assert.Single(Assert.Single(response.Topics).Partitions).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void AddOffsetsToTxn_WithABadGroupId_IsInvalidGroupId(string groupId)
    {
        var response = Answer<AddOffsetsToTxnResponse>(ApiKey.AddOffsetsToTxn, 3, new AddOffsetsToTxnRequest
        {
            TransactionalId = "names-txn",
            ProducerId = 1,
            ProducerEpoch = 0,
            GroupId = groupId,
        });

        Assert.Equal((short)KafkaError.InvalidGroupId, response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void InitProducerId_WithABadTransactionalId_IsInvalidRequest(string transactionalId)
    {
        var response = Answer<InitProducerIdResponse>(ApiKey.InitProducerId, 4, new InitProducerIdRequest
        {
            TransactionalId = transactionalId,
            TransactionTimeoutMs = 10_000,
            ProducerId = -1,
            ProducerEpoch = -1,
        });

        Assert.Equal((short)KafkaError.InvalidRequest, response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void AddPartitionsToTxn_WithABadTransactionalId_IsInvalidRequest(string transactionalId)
    {
        var response = Answer<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, new AddPartitionsToTxnRequest
        {
            V3AndBelowTransactionalId = transactionalId,
            V3AndBelowProducerId = 1,
            V3AndBelowProducerEpoch = 0,
            V3AndBelowTopics = [new() { Name = CreateTopic("names-txn-topic"), Partitions = [0] }],
        });

        var partition = Assert.Single(Assert.Single(response.ResultsByTopicV3AndBelow).ResultsByPartition);
        Assert.Equal((short)KafkaError.InvalidRequest, partition.PartitionErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void AddOffsetsToTxn_WithABadTransactionalId_IsInvalidRequest(string transactionalId)
    {
        var response = Answer<AddOffsetsToTxnResponse>(ApiKey.AddOffsetsToTxn, 3, new AddOffsetsToTxnRequest
        {
            TransactionalId = transactionalId,
            ProducerId = 1,
            ProducerEpoch = 0,
            GroupId = "g",
        });

        Assert.Equal((short)KafkaError.InvalidRequest, response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void EndTxn_WithABadTransactionalId_IsInvalidRequest(string transactionalId) =>
        Assert.Equal((short)KafkaError.InvalidRequest, Answer<EndTxnResponse>(ApiKey.EndTxn, 3,
            new EndTxnRequest { TransactionalId = transactionalId, ProducerId = 1, ProducerEpoch = 0, Committed = true }).ErrorCode);

    [Theory]
    [MemberData(nameof(BadIds))]
    public void Produce_OfATransactionalBatch_WithABadTransactionalId_IsInvalidRequest(string transactionalId)
    {
        var batch = new RecordBatchBuilder { ProducerId = 77, ProducerEpoch = 0, BaseSequence = 0, IsTransactional = true }
            .Append(1_700_000_000_000, "k"u8.ToArray(), "v"u8.ToArray())
            .Build();

        var response = Answer<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            TransactionalId = transactionalId,
            Acks = -1,
            TimeoutMs = 5000,
            TopicData = [new() { Name = CreateTopic("names-txn-produce"), PartitionData = [new() { Index = 0, Records = batch }] }],
        });

        Assert.Equal((short)KafkaError.InvalidRequest, Assert.Single(Assert.Single(response.Responses).PartitionResponses).ErrorCode);
    }

    private string CreateTopic(string topic)
    {
        var created = Answer<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
        {
            timeoutMs = 5000,
            Topics = [new() { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }],
        });
        Assert.Contains(Assert.Single(created.Topics).ErrorCode, new[] { (short)KafkaError.None, (short)KafkaError.TopicAlreadyExists });
        return topic;
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void DescribeTransactions_OfABadTransactionalId_IsInvalidRequest(string transactionalId)
    {
        var response = Answer<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, new DescribeTransactionsRequest { TransactionalIds = [transactionalId] });

        var state = Assert.Single(response.TransactionStates);
        Assert.Equal(transactionalId, state.TransactionalId);
        Assert.Equal((short)KafkaError.InvalidRequest, state.ErrorCode);
    }
}
