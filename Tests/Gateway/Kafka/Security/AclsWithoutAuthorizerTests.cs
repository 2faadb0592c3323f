using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>Without an authorizer, as in Kafka, everyone may do everything and the ACL APIs answer SECURITY_DISABLED.</summary>
public sealed class AclsWithoutAuthorizerTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task TheAclApis_AnswerSecurityDisabled()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var binding = new AclBinding
        {
            Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = "t", ResourcePatternType = ResourcePatternType.Literal },
            Entry = new AccessControlEntry { Principal = "User:alice", Host = "*", Operation = AclOperation.Read, PermissionType = AclPermissionType.Allow },
        };
        var created = await Assert.ThrowsAsync<CreateAclsException>(() => admin.CreateAclsAsync([binding]));
        Assert.Equal(ErrorCode.SecurityDisabled, Assert.Single(created.Results).Error.Code);

        var filter = new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Any, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        };
        // librdkafka drops DescribeAcls' error code; kafkajs reads it.
        var described = await KafkaJs.AdminAsync(broker.BootstrapServers, AuthorizationTests.DescribeEverything);
        Assert.Equal("SECURITY_DISABLED", described.GetString());
        var deleted = await Assert.ThrowsAsync<DeleteAclsException>(() => admin.DeleteAclsAsync([filter]));
        Assert.Equal(ErrorCode.SecurityDisabled, Assert.Single(deleted.Results).Error.Code);
    }
}
