using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// What <see cref="AuthorizationMatrixTests"/> runs each API through. The principal under test is the PLAINTEXT
/// listener's <c>User:ANONYMOUS</c>, spoken to with a <see cref="RawKafkaClient"/>; everything else (topics, records,
/// groups' offsets, the ACLs themselves) is done by the super user <c>admin</c> over SASL with Confluent.Kafka clients.
/// </summary>
public sealed class AuthorizationMatrix(int saslPort, int kafkaPort) : IDisposable
{
    public const string Anonymous = "User:ANONYMOUS";

    /// <summary>Kafka's CLUSTER resource type (4), which Confluent.Kafka names after the config resource BROKER.</summary>
    public const ResourceType Cluster = ResourceType.Broker;

    /// <summary>The one name a CLUSTER ACL may have.</summary>
    public const string ClusterName = "kafka-cluster";

    /// <summary>Kafka's TRANSACTIONAL_ID resource type (5), which librdkafka passes on though Confluent.Kafka's enum does not name it.</summary>
    public const ResourceType TransactionalId = (ResourceType)5;

    private readonly ClientConfig _asAdmin = AsAdmin(saslPort);
    private IAdminClient? _admin;

    private IAdminClient Admin => _admin ??= new AdminClientBuilder(new AdminClientConfig(_asAdmin)).Build();

    /// <summary>A raw connection to the PLAINTEXT listener: its principal is <c>User:ANONYMOUS</c>.</summary>
    public RawKafkaClient Client() => new(kafkaPort);

    /// <summary>The three resources a matrix runs on: one allowed literally, one allowed and denied, one allowed by a prefix.</summary>
    public static string[] Names(string stem) => [stem + "-lit", stem + "-deny", stem + "-pre-1"];

    public static ErrorCode Code(short code) => (ErrorCode)code;

    /// <summary>
    /// Runs <paramref name="attempt"/> (the API called on one resource, checking what it returned, and that a refusal
    /// left nothing done or shown) on the resources <see cref="Names"/> gives: with no ACL each is refused with
    /// <paramref name="refused"/>; a LITERAL ALLOW of <paramref name="operation"/> on <c>{stem}-lit</c> allows it and no
    /// other; a PREFIXED ALLOW on <c>{stem}-pre-</c> allows <c>{stem}-pre-1</c>; and on <c>{stem}-deny</c> a DENY
    /// outweighs an ALLOW. Each resource is allowed at most once, so an attempt may change it (delete it).
    /// </summary>
    public async Task MatrixAsync(ResourceType type, AclOperation operation, string stem, ErrorCode refused, Func<string, Task<ErrorCode>> attempt)
    {
        var (literal, denied, prefixed) = (stem + "-lit", stem + "-deny", stem + "-pre-1");
        foreach (var name in new[] { literal, denied, prefixed })
        {
            Expect($"no ACL, {name}", refused, await attempt(name));
        }

        await AllowAsync(type, literal, operation);
        Expect($"LITERAL ALLOW, {literal}", ErrorCode.NoError, await attempt(literal));
        Expect($"LITERAL ALLOW of another, {prefixed}", refused, await attempt(prefixed));

        await AllowAsync(type, stem + "-pre-", operation, ResourcePatternType.Prefixed);
        Expect($"PREFIXED ALLOW, {prefixed}", ErrorCode.NoError, await attempt(prefixed));

        await AllowAsync(type, denied, operation);
        await DenyAsync(type, denied, operation);
        Expect($"ALLOW and DENY, {denied}", refused, await attempt(denied));
    }

    public Task MatrixAsync(ResourceType type, AclOperation operation, string stem, ErrorCode refused, Func<string, ErrorCode> attempt) =>
        MatrixAsync(type, operation, stem, refused, name => Task.FromResult(attempt(name)));

    /// <summary>
    /// The matrix of an operation on the cluster, which has one name: refused with no ACL; allowed by a PREFIXED ALLOW
    /// (of the cluster's name); refused once that is deleted; allowed by a LITERAL ALLOW; refused with a DENY on top.
    /// </summary>
    public async Task ClusterMatrixAsync(AclOperation operation, ErrorCode refused, Func<Task<ErrorCode>> attempt)
    {
        Expect("no ACL", refused, await attempt());
        await AllowAsync(Cluster, ClusterName, operation, ResourcePatternType.Prefixed);
        Expect("PREFIXED ALLOW", ErrorCode.NoError, await attempt());
        await RevokeAsync(Cluster);
        Expect("ALLOW deleted", refused, await attempt());
        await AllowAsync(Cluster, ClusterName, operation);
        Expect("LITERAL ALLOW", ErrorCode.NoError, await attempt());
        await DenyAsync(Cluster, ClusterName, operation);
        Expect("ALLOW and DENY", refused, await attempt());
    }

    public Task ClusterMatrixAsync(AclOperation operation, ErrorCode refused, Func<ErrorCode> attempt) =>
        ClusterMatrixAsync(operation, refused, () => Task.FromResult(attempt()));

    public Task AllowAsync(ResourceType type, string name, AclOperation operation, ResourcePatternType pattern = ResourcePatternType.Literal) =>
        GrantAsync(type, name, operation, AclPermissionType.Allow, pattern);

    public Task DenyAsync(ResourceType type, string name, AclOperation operation, ResourcePatternType pattern = ResourcePatternType.Literal) =>
        GrantAsync(type, name, operation, AclPermissionType.Deny, pattern);

    /// <summary>Deletes the anonymous principal's ACLs (of one resource type, or all).</summary>
    public Task RevokeAsync(ResourceType type = ResourceType.Any) => Admin.DeleteAclsAsync(
    [
        new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = type, Name = null, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Principal = Anonymous, Host = null, Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        },
    ]);

    /// <summary>Whether some ACL names the topic.</summary>
    public async Task<bool> HasAclsAsync(string topic) => (await Admin.DescribeAclsAsync(new AclBindingFilter
    {
        PatternFilter = new ResourcePatternFilter { Type = ResourceType.Topic, Name = topic, ResourcePatternType = ResourcePatternType.Any },
        EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
    })).AclBindings.Count > 0;

    public Task CreateTopicsAsync(params string[] names) =>
        Admin.CreateTopicsAsync(names.Select(name => new TopicSpecification { Name = name, NumPartitions = 1, ReplicationFactor = 1 }));

    /// <summary>The topics a super user sees, with their partition counts.</summary>
    public Dictionary<string, int> Topics() =>
        Admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count);

    public async Task ProduceAsync(string topic, int count, bool idempotent = false)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(_asAdmin) { EnableIdempotence = idempotent }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = $"v{i}" });
        }
    }

    public WatermarkOffsets Watermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(_asAdmin) { GroupId = "m-admin" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
    }

    /// <summary>Commits an offset of the topic's partition 0 for the group (a simple commit: the group gets no member).</summary>
    public void Commit(string group, string topic, long offset)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(_asAdmin) { GroupId = group }).Build();
        consumer.Commit([new TopicPartitionOffset(topic, 0, offset)]);
    }

    /// <summary>The group's committed offset of the topic's partition 0, or null.</summary>
    public async Task<long?> CommittedAsync(string group, string topic)
    {
        var listed = await Admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, [new TopicPartition(topic, 0)])]);
        var offset = listed.Single().Partitions.Single().Offset;
        return offset.IsSpecial ? null : offset.Value;
    }

    public async Task<string?> TopicConfigAsync(string topic, string name) =>
        (await Admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }])).Single().Entries[name].Value;

    public void Dispose()
    {
        _admin?.Dispose();
    }

    /// <summary>Asserts a step's outcome, naming the step when it fails.</summary>
    private static void Expect(string step, ErrorCode expected, ErrorCode actual) => Assert.Equal((step, expected), (step, actual));

    private Task GrantAsync(ResourceType type, string name, AclOperation operation, AclPermissionType permission, ResourcePatternType pattern) =>
        Admin.CreateAclsAsync(
        [
            new AclBinding
            {
                Pattern = new ResourcePattern { Type = type, Name = name, ResourcePatternType = pattern },
                Entry = new AccessControlEntry { Principal = Anonymous, Host = "*", Operation = operation, PermissionType = permission },
            },
        ]);

    private static ClientConfig AsAdmin(int port) => new()
    {
        BootstrapServers = $"localhost:{port}",
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = "admin",
        SaslPassword = "admin-secret",
    };
}
