using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;
using Tributary.Grains.Security;

namespace Tributary.Tests.Security.Acls;

/// <summary>
/// CreateAcls, DeleteAcls and DescribeAcls with Kafka's rules, on the store alone. Theory data names the ACL enums as
/// text: xUnit does not discover theories whose inline data holds enums of the shared formats' assembly.
/// </summary>
public sealed class AclStoreTests
{
    private static AclBinding Topic(string name, AclPatternType pattern = AclPatternType.Literal, string principal = "User:alice") =>
        new(AclResourceType.Topic, name, pattern, principal, "*", AclOperation.Read, AclPermission.Allow);

    private static AclBindingFilter Filter(AclPatternType pattern, string? name, string? principal = null) =>
        new(AclResourceType.Topic, name, pattern, principal, null, AclOperation.Any, AclPermission.Any);

    [Fact]
    public void CreatedBindings_AreKeptOnce_AndMoveTheVersionOnlyWhenNew()
    {
        var store = new AclStore([], 0);

        Assert.All(store.Create([Topic("t"), Topic("t"), Topic("p-", AclPatternType.Prefixed)]), r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(2, store.Bindings.Count);
        Assert.Equal(1, store.Version);

        store.Create([Topic("t")]);
        Assert.Equal(1, store.Version);
    }

    [Theory]
    [InlineData("Any", "t", "Literal", "User:a", "Read", "Allow", "Invalid resourceType Any")]
    [InlineData("Topic", "t", "Match", "User:a", "Read", "Allow", "Invalid patternType Match")]
    [InlineData("Topic", "t", "Literal", "User:a", "Any", "Allow", "Invalid operation Any")]
    [InlineData("Topic", "t", "Literal", "User:a", "Read", "Any", "Invalid permissionType Any")]
    [InlineData("Topic", "", "Literal", "User:a", "Read", "Allow", "Resource name should not be empty")]
    [InlineData("Cluster", "c", "Literal", "User:a", "Alter", "Allow", "The only valid name for the CLUSTER resource is kafka-cluster")]
    [InlineData("Topic", "t", "Literal", "alice", "Read", "Allow", "Could not parse principal from `alice` (no colon is present separating the principal type from the principal name)")]
    public void ABindingKafkaWouldRefuse_IsRefused_AndTheOthersKept(
        string type, string name, string pattern, string principal, string operation, string permission, string reason)
    {
        var store = new AclStore([], 0);
        var binding = new AclBinding(
            Enum.Parse<AclResourceType>(type), name, Enum.Parse<AclPatternType>(pattern), principal, "*", Enum.Parse<AclOperation>(operation), Enum.Parse<AclPermission>(permission));

        var results = store.Create([binding, Topic("kept")]);

        Assert.Equal((ErrorCode.InvalidRequest, reason), results[0]);
        Assert.Equal(ErrorCode.None, results[1].Error);
        Assert.Equal([Topic("kept")], store.Bindings);
    }

    [Fact]
    public void EachScope_TakesOnlyItsOwnResourceTypes()
    {
        var kafka = new AclStore([], 0, AclScope.Kafka);
        var registry = new AclStore([], 0, AclScope.SchemaRegistry);
        var subject = new AclBinding(AclResourceType.Subject, "orders-value", AclPatternType.Literal, "User:a", "*", AclOperation.Read, AclPermission.Allow);
        var whole = new AclBinding(AclResourceType.Registry, AclBinding.RegistryName, AclPatternType.Literal, "User:a", "*", AclOperation.Describe, AclPermission.Allow);

        Assert.Equal((ErrorCode.InvalidRequest, "Invalid resourceType 100"), kafka.Create([subject])[0]);
        Assert.Equal((ErrorCode.InvalidRequest, "Invalid resourceType Topic"), registry.Create([Topic("t")])[0]);
        Assert.Equal(ErrorCode.InvalidRequest, kafka.Describe(new AclBindingFilter(AclResourceType.Subject, null, AclPatternType.Any, null, null, AclOperation.Any, AclPermission.Any)).Error);
        Assert.Equal(
            (ErrorCode.InvalidRequest, "The only valid name for the REGISTRY resource is schema-registry"),
            registry.Create([whole with { ResourceName = "other" }])[0]);

        Assert.All(registry.Create([subject, whole]), r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(2, registry.Describe(new AclBindingFilter(AclResourceType.Any, null, AclPatternType.Any, null, null, AclOperation.Any, AclPermission.Any)).Bindings.Count);
        Assert.Empty(kafka.Bindings);
    }

    [Fact]
    public void ADeletionFilter_RemovesWhatItNames_AndSaysWhich()
    {
        var store = new AclStore([Topic("orders-eu"), Topic("orders-", AclPatternType.Prefixed), Topic("*"), Topic("payments", principal: "User:bob")], 7);

        var results = store.Delete([Filter(AclPatternType.Match, "orders-eu"), Filter(AclPatternType.Literal, null, "User:carol")]);

        Assert.Equal([Topic("orders-eu"), Topic("orders-", AclPatternType.Prefixed), Topic("*")], results[0].Deleted);
        Assert.Empty(results[1].Deleted);
        Assert.Equal([Topic("payments", principal: "User:bob")], store.Bindings);
        Assert.Equal(8, store.Version);
        Assert.Equal([Topic("payments", principal: "User:bob")], store.Describe(Filter(AclPatternType.Any, null)).Bindings);
        Assert.Equal(ErrorCode.InvalidRequest, store.Describe(Filter(AclPatternType.Unknown, null)).Error);
    }
}
