using System.Globalization;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using static Tributary.Tests.Gateway.Kafka.Security.AuthorizationMatrix;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// Every Kafka API the standard authorizer guards, over the raw protocol, as Kafka 3.9's KafkaApis guards it: the
/// PLAINTEXT listener's <c>User:ANONYMOUS</c> may do nothing without an ACL, and is told so with Kafka's exact error
/// (TOPIC_ 29, GROUP_ 30, CLUSTER_ 31, TRANSACTIONAL_ID_AUTHORIZATION_FAILED 53) with nothing done and nothing shown;
/// a LITERAL or a PREFIXED ALLOW of the operation Kafka asks for lets it through, and a DENY on top refuses it again
/// (<see cref="AuthorizationMatrix.MatrixAsync(ResourceType, AclOperation, string, ErrorCode, Func{string, Task{ErrorCode}})"/>).
/// Each test names its own resources (m-{api}-…) and the anonymous principal's ACLs are deleted around each test.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.MatrixBroker broker) : IClassFixture<AuthorizationMatrixTests.MatrixBroker>, IAsyncLifetime
{
    public sealed class MatrixBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:PlainUsers:admin", "admin-secret",
            "--Tributary:Kafka:Authorizer:ClassName", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "--Tributary:Kafka:Authorizer:SuperUsers", "User:admin",
        ];
    }

    private const ErrorCode TopicRefused = ErrorCode.TopicAuthorizationFailed;
    private const ErrorCode GroupRefused = ErrorCode.GroupAuthorizationFailed;
    private const ErrorCode ClusterRefused = ErrorCode.ClusterAuthorizationFailed;
    private const ErrorCode TransactionalIdRefused = ErrorCode.TransactionalIdAuthorizationFailed;

    /// <summary>Kafka's config resource types.</summary>
    private const sbyte TopicConfigs = 2, BrokerConfigs = 4;

    private readonly AuthorizationMatrix _matrix = new(broker.SaslPort, broker.KafkaPort);

    public Task InitializeAsync() => _matrix.RevokeAsync();

    public async Task DisposeAsync()
    {
        await _matrix.RevokeAsync();
        _matrix.Dispose();
    }

    [Fact]
    public async Task Produce_NeedsWriteOnTheTopic_AndARefusedBatchIsNotAppended()
    {
        var topics = Names("m-produce");
        await _matrix.CreateTopicsAsync(topics);
        using var client = _matrix.Client();

        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Write, "m-produce", TopicRefused, topic =>
        {
            var partition = client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 10_000,
                TopicData = [new() { Name = topic, PartitionData = [new() { Index = 0, Records = Batches.Make(1) }] }],
            }).Responses.Single().PartitionResponses.Single();
            Assert.Equal(partition.ErrorCode == 0 ? 0 : -1, partition.BaseOffset);
            return Code(partition.ErrorCode);
        });

        // Each topic holds the one batch it was allowed; the one only ever refused holds none.
        Assert.Equal([1L, 0L, 1L], topics.Select(t => _matrix.Watermarks(t).High.Value));
    }

    [Fact]
    public async Task Fetch_NeedsReadOnTheTopic_AndARefusedPartitionReturnsNoRecords()
    {
        var topics = Names("m-fetch");
        await _matrix.CreateTopicsAsync(topics);
        foreach (var topic in topics)
        {
            await _matrix.ProduceAsync(topic, 2);
        }

        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Read, "m-fetch", TopicRefused, topic =>
        {
            var partition = client.Call<FetchResponse>(ApiKey.Fetch, 12, new FetchRequest
            {
                MaxWaitMs = 0,
                MinBytes = 1,
                MaxBytes = 1 << 20,
                SessionId = 0,
                SessionEpoch = -1,
                Topics = [new() { Topic = topic, Partitions = [new() { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] }],
            }).Responses.Single().Partitions.Single();
            var records = partition.Records is { } batches ? Batches.Decode(batches) : [];
            Assert.Equal(partition.ErrorCode == 0 ? (2, 2L) : (0, -1L), (records.Count, partition.HighWatermark));
            return Code(partition.ErrorCode);
        });
    }

    [Fact]
    public async Task ListOffsets_NeedsDescribeOnTheTopic_AndARefusedPartitionShowsNoOffset()
    {
        var topics = Names("m-listoffsets");
        await _matrix.CreateTopicsAsync(topics);
        foreach (var topic in topics)
        {
            await _matrix.ProduceAsync(topic, 3);
        }

        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Describe, "m-listoffsets", TopicRefused, topic =>
        {
            var partition = client.Call<ListOffsetsResponse>(ApiKey.ListOffsets, 7, new ListOffsetsRequest
            {
                ReplicaId = -1,
                Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, Timestamp = -1 }] }],
            }).Topics.Single().Partitions.Single();
            Assert.Equal(partition.ErrorCode == 0 ? 3 : -1, partition.Offset);
            return Code(partition.ErrorCode);
        });
    }

    [Fact]
    public async Task Metadata_NeedsDescribeOnTheTopic_AndListingAllLeavesTheOthersOut()
    {
        var topics = Names("m-metadata");
        await _matrix.CreateTopicsAsync(topics);
        using var client = _matrix.Client();
        MetadataResponse Metadata(List<MetadataRequest.MetadataRequestTopic>? asked, bool autoCreate = false) =>
            client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = asked, AllowAutoTopicCreation = autoCreate });

        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Describe, "m-metadata", TopicRefused, topic =>
        {
            var named = Metadata([new() { Name = topic }]).Topics.Single();
            var listed = Metadata(null).Topics.Select(t => t.Name).ToList();
            Assert.Equal(topic, named.Name);
            // Refused, neither its partitions nor its id are shown, and it is not listed.
            Assert.Equal(named.ErrorCode == 0, (named.Partitions.Count, named.TopicId != Guid.Empty) == (1, true));
            Assert.Equal(named.ErrorCode == 0, listed.Contains(topic));
            return Code(named.ErrorCode);
        });

        // A topic that does not exist is refused as one that does, and not auto-created without CREATE (DESCRIBE is not enough).
        Assert.Equal(TopicRefused, Code(Metadata([new() { Name = "m-metadata-auto" }], autoCreate: true).Topics.Single().ErrorCode));
        await _matrix.AllowAsync(ResourceType.Topic, "m-metadata-auto", AclOperation.Describe);
        Assert.Equal(TopicRefused, Code(Metadata([new() { Name = "m-metadata-auto" }], autoCreate: true).Topics.Single().ErrorCode));
        Assert.DoesNotContain("m-metadata-auto", _matrix.Topics().Keys);
    }

    [Fact]
    public async Task OffsetCommit_NeedsReadOnTheGroup_AndReadOnTheTopic()
    {
        await _matrix.CreateTopicsAsync(["m-commit-topic", .. Names("m-commit-t")]);
        using var client = _matrix.Client();
        async Task<ErrorCode> CommitAsync(string group, string topic)
        {
            var error = Code(client.Call<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, new OffsetCommitRequest
            {
                GroupId = group,
                GenerationIdOrMemberEpoch = -1,
                MemberId = "",
                Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, CommittedOffset = 5 }] }],
            }).Topics.Single().Partitions.Single().ErrorCode);
            Assert.Equal(error == ErrorCode.NoError ? 5 : (long?)null, await _matrix.CommittedAsync(group, topic));
            return error;
        }

        // The group's side, the topic allowed.
        await _matrix.AllowAsync(ResourceType.Topic, "m-commit-topic", AclOperation.Read);
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Read, "m-commit-g", GroupRefused, group => CommitAsync(group, "m-commit-topic"));

        // The topic's side, the group allowed.
        await _matrix.AllowAsync(ResourceType.Group, "m-commit-group", AclOperation.Read);
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Read, "m-commit-t", TopicRefused, topic => CommitAsync("m-commit-group", topic));
    }

    [Fact]
    public async Task OffsetFetch_NeedsDescribeOnTheGroup_AndDescribeOnTheTopic()
    {
        await _matrix.CreateTopicsAsync(["m-offsets-topic", .. Names("m-offsets-t")]);
        foreach (var group in Names("m-offsets-g"))
        {
            _matrix.Commit(group, "m-offsets-topic", 7);
        }

        foreach (var topic in Names("m-offsets-t"))
        {
            _matrix.Commit("m-offsets-group", topic, 7);
        }

        using var client = _matrix.Client();
        OffsetFetchResponse Fetch(string group, string? topic) => client.Call<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, new OffsetFetchRequest
        {
            GroupId = group,
            Topics = topic is null ? null : [new() { Name = topic, PartitionIndexes = [0] }],
        });

        // The group's side, the topic allowed: v7 answers a refused group with its error alone, v8 too, per group.
        await _matrix.AllowAsync(ResourceType.Topic, "m-offsets-topic", AclOperation.Describe);
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Describe, "m-offsets-g", GroupRefused, group =>
        {
            var single = Fetch(group, "m-offsets-topic");
            var batched = client.Call<OffsetFetchResponse>(ApiKey.OffsetFetch, 8, new OffsetFetchRequest { Groups = [new() { GroupId = group, Topics = null }] }).Groups.Single();
            long[] shown = single.ErrorCode == 0 ? [7] : [];
            Assert.Equal(shown, single.Topics.SelectMany(t => t.Partitions).Select(p => p.CommittedOffset));
            Assert.Equal(shown, batched.Topics.SelectMany(t => t.Partitions).Select(p => p.CommittedOffset));
            Assert.Equal(single.ErrorCode, batched.ErrorCode);
            return Code(single.ErrorCode);
        });

        // The topic's side, the group allowed: a refused topic's partition shows no offset.
        await _matrix.AllowAsync(ResourceType.Group, "m-offsets-group", AclOperation.Describe);
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Describe, "m-offsets-t", TopicRefused, topic =>
        {
            var response = Fetch("m-offsets-group", topic);
            var partition = response.Topics.Single().Partitions.Single();
            Assert.Equal(((short)0, partition.ErrorCode == 0 ? 7L : -1L), (response.ErrorCode, partition.CommittedOffset));
            return Code(partition.ErrorCode);
        });

        // Asked for all its offsets, the group shows those of the topics the principal may describe only.
        Assert.Equal(["m-offsets-t-lit", "m-offsets-t-pre-1"], Fetch("m-offsets-group", null).Topics.Select(t => t.Name).Order());
    }

    [Fact]
    public async Task FindCoordinator_NeedsDescribeOnTheGroup_OrOnTheTransactionalId()
    {
        using var client = _matrix.Client();
        ErrorCode Find(sbyte keyType, string key)
        {
            var single = client.Call<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, new FindCoordinatorRequest { KeyType = keyType, Key = key });
            var batched = client.Call<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, new FindCoordinatorRequest { KeyType = keyType, CoordinatorKeys = [key] })
                .Coordinators.Single();
            // Refused, no coordinator is named.
            var port = single.ErrorCode == 0 ? broker.KafkaPort : -1;
            Assert.Equal((single.ErrorCode, port, port), (batched.ErrorCode, single.Port, batched.Port));
            return Code(single.ErrorCode);
        }

        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Describe, "m-coordinator-g", GroupRefused, group => Find(0, group));
        await _matrix.MatrixAsync(TransactionalId, AclOperation.Describe, "m-coordinator-t", TransactionalIdRefused, id => Find(1, id));
    }

    [Fact]
    public async Task JoinGroupAndHeartbeat_NeedReadOnTheGroup()
    {
        using var client = _matrix.Client();
        short Heartbeat(string group, string member, int generation) =>
            client.Call<HeartbeatResponse>(ApiKey.Heartbeat, 3, new HeartbeatRequest { GroupId = group, MemberId = member, GenerationId = generation }).ErrorCode;
        JoinGroupResponse Join(string group, string member) => client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, new JoinGroupRequest
        {
            GroupId = group,
            SessionTimeoutMs = 30_000,
            RebalanceTimeoutMs = 30_000,
            MemberId = member,
            ProtocolType = "consumer",
            Protocols = [new() { Name = "range", Metadata = new byte[] { 0, 0, 0, 0, 0, 0 } }],
        });

        var members = new Dictionary<string, JoinGroupResponse>();
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Read, "m-join", GroupRefused, group =>
        {
            // Allowed, a new member is first given its id (MEMBER_ID_REQUIRED), as from v4.
            var joined = Join(group, "");
            if (joined.ErrorCode != 79)
            {
                // Refused before the group is looked at: no member id, no generation; a heartbeat is refused as well.
                Assert.Equal(("", -1, 0), (joined.MemberId, joined.GenerationId, joined.Members.Count));
                Assert.Equal(joined.ErrorCode, Heartbeat(group, "someone", 1));
                return Code(joined.ErrorCode);
            }

            joined = Join(group, joined.MemberId);
            Assert.Equal(0, joined.ErrorCode);
            var synced = client.Call<SyncGroupResponse>(ApiKey.SyncGroup, 3, new SyncGroupRequest
            {
                GroupId = group, GenerationId = joined.GenerationId, MemberId = joined.MemberId,
            });
            Assert.Equal(0, synced.ErrorCode);
            members[group] = joined;
            return Code(Heartbeat(group, joined.MemberId, joined.GenerationId));
        });

        // A DENY added on top refuses the member already in the group.
        var member = members["m-join-lit"];
        await _matrix.DenyAsync(ResourceType.Group, "m-join-lit", AclOperation.Read);
        Assert.Equal(GroupRefused, Code(Heartbeat("m-join-lit", member.MemberId, member.GenerationId)));
    }

    [Fact]
    public async Task DescribeGroups_NeedsDescribeOnTheGroup_AndARefusedGroupShowsNothing()
    {
        await _matrix.CreateTopicsAsync("m-describe-topic");
        foreach (var group in Names("m-describe"))
        {
            _matrix.Commit(group, "m-describe-topic", 1);
        }

        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Describe, "m-describe", GroupRefused, group =>
        {
            var described = client.Call<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, new DescribeGroupsRequest { Groups = [group], IncludeAuthorizedOperations = true })
                .Groups.Single();
            // Allowed, the operations shown are DESCRIBE (8) alone.
            Assert.Equal(described.ErrorCode == 0 ? ("Empty", 1 << 8) : ("", int.MinValue), (described.GroupState, described.AuthorizedOperations));
            return Code(described.ErrorCode);
        });
    }

    [Fact]
    public async Task ListGroups_ShowsTheGroupsThePrincipalMayDescribe_OrAllWithDescribeOnTheCluster()
    {
        var groups = Names("m-listgroups");
        await _matrix.CreateTopicsAsync("m-listgroups-topic");
        foreach (var group in groups)
        {
            _matrix.Commit(group, "m-listgroups-topic", 1);
        }

        using var client = _matrix.Client();
        List<string> Listed()
        {
            var response = client.Call<ListGroupsResponse>(ApiKey.ListGroups, 4, new ListGroupsRequest());
            Assert.Equal(0, response.ErrorCode);
            return response.Groups.Select(g => g.GroupId).ToList();
        }

        // ListGroups refuses nothing: a group the principal may not describe is left out, which stands for a refusal here.
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Describe, "m-listgroups", GroupRefused, group =>
            Listed().Contains(group) ? ErrorCode.NoError : GroupRefused);

        await _matrix.AllowAsync(Cluster, ClusterName, AclOperation.Describe);
        Assert.Subset(Listed().ToHashSet(), groups.ToHashSet());
    }

    [Fact]
    public async Task DeleteGroups_NeedsDeleteOnTheGroup_AndARefusedGroupKeepsItsOffsets()
    {
        await _matrix.CreateTopicsAsync("m-delgroups-topic");
        foreach (var group in Names("m-delgroups"))
        {
            _matrix.Commit(group, "m-delgroups-topic", 3);
        }

        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Group, AclOperation.Delete, "m-delgroups", GroupRefused, async group =>
        {
            var error = Code(client.Call<DeleteGroupsResponse>(ApiKey.DeleteGroups, 2, new DeleteGroupsRequest { GroupsNames = [group] }).Results.Single().ErrorCode);
            Assert.Equal(error == ErrorCode.NoError ? null : (long?)3, await _matrix.CommittedAsync(group, "m-delgroups-topic"));
            return error;
        });
    }

    [Fact]
    public async Task CreateTopics_NeedsCreateOnTheTopic_OrOnTheCluster()
    {
        using var client = _matrix.Client();
        ErrorCode Create(string topic)
        {
            var result = client.Call<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
            {
                Topics = [new() { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }],
            }).Topics.Single();
            Assert.Equal(result.ErrorCode == 0, _matrix.Topics().ContainsKey(topic));
            if (result.ErrorCode == 0)
            {
                // Created; without DESCRIBE_CONFIGS on it, its configs, partitions and replication factor are not shown.
                Assert.Equal(((short)29, -1, (short)-1, 0), (result.TopicConfigErrorCode, result.NumPartitions, result.ReplicationFactor, result.Configs?.Count ?? 0));
            }

            return Code(result.ErrorCode);
        }

        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Create, "m-createtopics", TopicRefused, Create);
        var created = 0;
        await _matrix.ClusterMatrixAsync(AclOperation.Create, TopicRefused, () => Create($"m-createtopics-c{++created}"));
    }

    [Fact]
    public async Task DeleteTopics_NeedsDeleteOnTheTopic_OrOnTheCluster_AndARefusedTopicStays()
    {
        var clusterTopics = Enumerable.Range(1, 5).Select(n => $"m-deltopics-c{n}").ToArray();
        await _matrix.CreateTopicsAsync([.. Names("m-deltopics"), .. clusterTopics]);
        using var client = _matrix.Client();
        ErrorCode Delete(string topic)
        {
            var error = Code(client.Call<DeleteTopicsResponse>(ApiKey.DeleteTopics, 5, new DeleteTopicsRequest { TopicNames = [topic], TimeoutMs = 30_000 })
                .Responses.Single().ErrorCode);
            Assert.Equal(error != ErrorCode.NoError, _matrix.Topics().ContainsKey(topic));
            return error;
        }

        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Delete, "m-deltopics", TopicRefused, Delete);
        var attempts = 0;
        await _matrix.ClusterMatrixAsync(AclOperation.Delete, TopicRefused, () => Delete(clusterTopics[attempts++]));
    }

    [Fact]
    public async Task DeleteTopics_AMissingTopicThePrincipalMayDescribe_IsUnknown_AsKafkasControllerAnswersIt()
    {
        // Kafka's controller (ControllerApis.deleteTopics) refuses a name the principal may not describe, answers a
        // describable one that names no topic with its lookup's error, and only then asks for DELETE.
        await _matrix.AllowAsync(ResourceType.Topic, "m-deltopics-missing", AclOperation.Describe);
        using var client = _matrix.Client();
        var results = client.Call<DeleteTopicsResponse>(ApiKey.DeleteTopics, 5, new DeleteTopicsRequest
        {
            TopicNames = ["m-deltopics-hidden", "m-deltopics-missing"],
            TimeoutMs = 30_000,
        }).Responses;
        Assert.Equal(
            [("m-deltopics-hidden", TopicRefused), ("m-deltopics-missing", ErrorCode.UnknownTopicOrPart)],
            results.Select(r => (r.Name, Code(r.ErrorCode))).OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreatePartitions_NeedsAlterOnTheTopic_AndARefusedTopicIsNotGrown()
    {
        await _matrix.CreateTopicsAsync(Names("m-partitions"));
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Alter, "m-partitions", TopicRefused, topic =>
        {
            var error = Code(client.Call<CreatePartitionsResponse>(ApiKey.CreatePartitions, 3, new CreatePartitionsRequest
            {
                Topics = [new() { Name = topic, Count = 2, Assignments = null }],
                TimeoutMs = 30_000,
            }).Results.Single().ErrorCode);
            Assert.Equal(error == ErrorCode.NoError ? 2 : 1, _matrix.Topics()[topic]);
            return error;
        });
    }

    [Fact]
    public async Task DeleteRecords_NeedsDeleteOnTheTopic_AndARefusedPartitionKeepsItsRecords()
    {
        var topics = Names("m-delrecords");
        await _matrix.CreateTopicsAsync(topics);
        foreach (var topic in topics)
        {
            await _matrix.ProduceAsync(topic, 2);
        }

        using var client = _matrix.Client();
        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.Delete, "m-delrecords", TopicRefused, topic =>
        {
            var partition = client.Call<DeleteRecordsResponse>(ApiKey.DeleteRecords, 2, new DeleteRecordsRequest
            {
                Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, Offset = 1 }] }],
                TimeoutMs = 30_000,
            }).Topics.Single().Partitions.Single();
            Assert.Equal(partition.ErrorCode == 0 ? (1L, 1L) : (-1L, 0L), (partition.LowWatermark, _matrix.Watermarks(topic).Low.Value));
            return Code(partition.ErrorCode);
        });
    }

    [Fact]
    public async Task DescribeConfigs_NeedsDescribeConfigsOnTheTopic_OrOnTheClusterForABroker()
    {
        await _matrix.CreateTopicsAsync(Names("m-descconfigs"));
        using var client = _matrix.Client();
        ErrorCode Describe(sbyte type, string name)
        {
            var result = client.Call<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, new DescribeConfigsRequest
            {
                Resources = [new() { ResourceType = type, ResourceName = name, ConfigurationKeys = null }],
            }).Results.Single();
            // Refused, no config is shown.
            Assert.Equal(result.ErrorCode == 0, result.Configs.Count > 0);
            return Code(result.ErrorCode);
        }

        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.DescribeConfigs, "m-descconfigs", TopicRefused, topic => Describe(TopicConfigs, topic));

        var brokerId = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] }).Brokers.Single().NodeId;
        await _matrix.ClusterMatrixAsync(AclOperation.DescribeConfigs, ClusterRefused, () => Describe(BrokerConfigs, brokerId.ToString(CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AlterConfigs_NeedAlterConfigsOnTheTopic_OrOnTheClusterForABroker(bool incremental)
    {
        var stem = incremental ? "m-incalterconfigs" : "m-alterconfigs";
        await _matrix.CreateTopicsAsync(Names(stem));
        using var client = _matrix.Client();
        ErrorCode Alter(sbyte type, string name, string config, string value, bool validateOnly = false) => Code(incremental
            ? client.Call<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, new IncrementalAlterConfigsRequest
            {
                ValidateOnly = validateOnly,
                Resources = [new() { ResourceType = type, ResourceName = name, Configs = [new() { Name = config, ConfigOperation = 0, Value = value }] }],
            }).Responses.Single().ErrorCode
            : client.Call<AlterConfigsResponse>(ApiKey.AlterConfigs, 2, new AlterConfigsRequest
            {
                ValidateOnly = validateOnly,
                Resources = [new() { ResourceType = type, ResourceName = name, Configs = [new() { Name = config, Value = value }] }],
            }).Responses.Single().ErrorCode);

        await _matrix.MatrixAsync(ResourceType.Topic, AclOperation.AlterConfigs, stem, TopicRefused, async topic =>
        {
            var error = Alter(TopicConfigs, topic, "retention.ms", "4242424");
            Assert.Equal(error == ErrorCode.NoError, await _matrix.TopicConfigAsync(topic, "retention.ms") == "4242424");
            return error;
        });

        // The cluster's default broker configs, only validated.
        await _matrix.ClusterMatrixAsync(AclOperation.AlterConfigs, ClusterRefused, () => Alter(BrokerConfigs, "", "log.retention.bytes", "-1", validateOnly: true));
    }

    [Fact]
    public async Task InitProducerId_WithATransactionalId_NeedsWriteOnIt()
    {
        using var client = _matrix.Client();
        await _matrix.MatrixAsync(TransactionalId, AclOperation.Write, "m-initpid", TransactionalIdRefused, id =>
        {
            var response = client.Call<InitProducerIdResponse>(ApiKey.InitProducerId, 4, new InitProducerIdRequest { TransactionalId = id, TransactionTimeoutMs = 60_000 });
            Assert.Equal(response.ErrorCode != 0, (response.ProducerId, response.ProducerEpoch) == (-1, -1));
            return Code(response.ErrorCode);
        });
    }

    [Fact]
    public async Task InitProducerId_WithoutATransactionalId_NeedsIdempotentWriteOnTheCluster_OrWriteOnSomeTopic()
    {
        using var client = _matrix.Client();
        ErrorCode Init()
        {
            var response = client.Call<InitProducerIdResponse>(ApiKey.InitProducerId, 4, new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 });
            Assert.Equal(response.ErrorCode != 0, response.ProducerId == -1);
            return Code(response.ErrorCode);
        }

        await _matrix.ClusterMatrixAsync(AclOperation.IdempotentWrite, ClusterRefused, Init);
        await _matrix.RevokeAsync();
        Assert.Equal(ClusterRefused, Init());

        // WRITE on some topic, named or by a prefix, unless a DENY covers every topic it names.
        await _matrix.AllowAsync(ResourceType.Topic, "m-idempotent-lit", AclOperation.Write);
        Assert.Equal(ErrorCode.NoError, Init());
        await _matrix.DenyAsync(ResourceType.Topic, "m-idempotent-lit", AclOperation.Write);
        Assert.Equal(ClusterRefused, Init());
        await _matrix.AllowAsync(ResourceType.Topic, "m-idempotent-pre-", AclOperation.Write, ResourcePatternType.Prefixed);
        Assert.Equal(ErrorCode.NoError, Init());
        await _matrix.DenyAsync(ResourceType.Topic, "m-idempotent-", AclOperation.Write, ResourcePatternType.Prefixed);
        Assert.Equal(ClusterRefused, Init());
    }

    [Fact]
    public async Task DescribeAcls_NeedsDescribeOnTheCluster()
    {
        using var client = _matrix.Client();
        await _matrix.ClusterMatrixAsync(AclOperation.Describe, ClusterRefused, () =>
        {
            var response = client.Call<DescribeAclsResponse>(ApiKey.DescribeAcls, 3, new DescribeAclsRequest
            {
                ResourceTypeFilter = 1,
                ResourceNameFilter = null,
                PatternTypeFilter = 1,
                PrincipalFilter = Anonymous,
                HostFilter = null,
                Operation = 1,
                PermissionType = 1,
            });
            // Refused, no ACL is shown; allowed, the principal's own are (the one that allowed it at least).
            Assert.Equal(response.ErrorCode == 0, response.Resources.Count > 0);
            return Code(response.ErrorCode);
        });
    }

    [Fact]
    public async Task CreateAcls_NeedsAlterOnTheCluster_AndARefusedAclIsNotCreated()
    {
        using var client = _matrix.Client();
        var created = 0;
        await _matrix.ClusterMatrixAsync(AclOperation.Alter, ClusterRefused, async () =>
        {
            // READ on a topic of its own for the anonymous principal: TOPIC (2), LITERAL (3), READ (3), ALLOW (3).
            var topic = $"m-createacls-{++created}";
            var result = client.Call<CreateAclsResponse>(ApiKey.CreateAcls, 3, new CreateAclsRequest
            {
                Creations = [new() { ResourceType = 2, ResourceName = topic, ResourcePatternType = 3, Principal = Anonymous, Host = "*", Operation = 3, PermissionType = 3 }],
            }).Results.Single();
            Assert.Equal(result.ErrorCode == 0, await _matrix.HasAclsAsync(topic));
            return Code(result.ErrorCode);
        });
    }

    [Fact]
    public async Task DescribeLogDirs_NeedsDescribeOnTheCluster_AndARefusalDescribesNoDirectory()
    {
        await _matrix.CreateTopicsAsync("m-logdirs");
        using var client = _matrix.Client();
        await _matrix.ClusterMatrixAsync(AclOperation.Describe, ClusterRefused, () =>
        {
            var response = client.Call<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 3, new DescribeLogDirsRequest { Topics = null });
            // Before v3 there is no error code: an empty answer is the refusal.
            var old = client.Call<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 1, new DescribeLogDirsRequest { Topics = null });
            var shown = response.ErrorCode == 0 ? 1 : 0;
            Assert.Equal((shown, shown), (response.Results.Count, old.Results.Count));
            Assert.Equal(response.ErrorCode == 0, response.Results.SelectMany(r => r.Topics).Any(t => t.Name == "m-logdirs"));
            return Code(response.ErrorCode);
        });
    }
}
