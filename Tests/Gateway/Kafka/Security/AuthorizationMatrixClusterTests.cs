using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using static Tributary.Tests.Gateway.Kafka.Security.AuthorizationMatrix;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// The authorization matrix of the admin APIs guarded by the CLUSTER resource, as Kafka 3.9's KafkaApis and
/// ControllerApis guard them: the ACL deletions (ALTER), client quotas (DESCRIBE_CONFIGS, ALTER_CONFIGS), SCRAM
/// credentials (DESCRIBE, ALTER), reassignments and elections. Refused, each answers CLUSTER_AUTHORIZATION_FAILED and
/// changes nothing; a PREFIXED or LITERAL ALLOW lets it through; a DENY on top refuses it again.
/// </summary>
public sealed class AuthorizationMatrixClusterTests(AuthorizationMatrixTests.MatrixBroker broker)
    : IClassFixture<AuthorizationMatrixTests.MatrixBroker>, IAsyncLifetime
{
    private const ErrorCode ClusterRefused = ErrorCode.ClusterAuthorizationFailed;

    private readonly AuthorizationMatrix _matrix = new(broker.SaslPort, broker.KafkaPort);

    public Task InitializeAsync() => _matrix.RevokeAsync();

    public async Task DisposeAsync()
    {
        await _matrix.RevokeAsync();
        _matrix.Dispose();
    }

    [Fact]
    public async Task DeleteAcls_NeedsAlterOnTheCluster_AndARefusedFilterDeletesNothing()
    {
        const string Victim = "m-deleteacls-victim";
        using var client = _matrix.Client();
        await _matrix.AllowAsync(ResourceType.Topic, Victim, AclOperation.Read);
        await _matrix.ClusterMatrixAsync(AclOperation.Alter, ClusterRefused, async () =>
        {
            // TOPIC (2), LITERAL (3), any operation and permission (1).
            var result = client.Call<DeleteAclsResponse>(ApiKey.DeleteAcls, 3, new DeleteAclsRequest
            {
                Filters = [new() { ResourceTypeFilter = 2, ResourceNameFilter = Victim, PatternTypeFilter = 3, PrincipalFilter = Anonymous, HostFilter = null, Operation = 1, PermissionType = 1 }],
            }).FilterResults.Single();
            Assert.Equal(result.ErrorCode != 0, await _matrix.HasAclsAsync(Victim));
            if (result.ErrorCode == 0)
            {
                Assert.Equal(Victim, Assert.Single(result.MatchingAcls).ResourceName);
                await _matrix.AllowAsync(ResourceType.Topic, Victim, AclOperation.Read);
            }

            return Code(result.ErrorCode);
        });
    }

    [Fact]
    public async Task DescribeClientQuotas_NeedsDescribeConfigsOnTheCluster()
    {
        using var client = _matrix.Client();
        await _matrix.ClusterMatrixAsync(AclOperation.DescribeConfigs, ClusterRefused, () =>
        {
            var response = client.Call<DescribeClientQuotasResponse>(ApiKey.DescribeClientQuotas, 1, new DescribeClientQuotasRequest
            {
                Components = [new() { EntityType = "client-id", MatchType = 2, Match = null }],
            });
            Assert.Equal(response.ErrorCode == 0, response.Entries is not null);
            return Code(response.ErrorCode);
        });
    }

    [Fact]
    public async Task AlterClientQuotas_NeedsAlterConfigsOnTheCluster_AndARefusedQuotaIsNotSet()
    {
        using var client = _matrix.Client();
        var attempt = 0;
        await _matrix.ClusterMatrixAsync(AclOperation.AlterConfigs, ClusterRefused, () =>
        {
            var entry = client.Call<AlterClientQuotasResponse>(ApiKey.AlterClientQuotas, 1, new AlterClientQuotasRequest
            {
                Entries = [new() { Entity = [new() { EntityType = "client-id", EntityName = $"m-quota-{++attempt}" }], Ops = [new() { Key = "producer_byte_rate", Value = 1_000_000 }] }],
            }).Entries.Single();
            return Code(entry.ErrorCode);
        });

        // Its ALLOW still stands (the DENY is of ALTER_CONFIGS, which implies nothing), so the principal may look:
        // only the quotas of the two allowed attempts (2 and 4) were set.
        var set = client.Call<DescribeClientQuotasResponse>(ApiKey.DescribeClientQuotas, 1, new DescribeClientQuotasRequest
        {
            Components = [new() { EntityType = "client-id", MatchType = 2, Match = null }],
        });
        Assert.Equal(["m-quota-2", "m-quota-4"], set.Entries!.Select(e => e.Entity.Single().EntityName).Where(n => n!.StartsWith("m-quota-", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task DescribeUserScramCredentials_NeedsDescribeOnTheCluster()
    {
        using var client = _matrix.Client();
        await _matrix.ClusterMatrixAsync(AclOperation.Describe, ClusterRefused, () =>
        {
            var response = client.Call<DescribeUserScramCredentialsResponse>(ApiKey.DescribeUserScramCredentials, 0,
                new DescribeUserScramCredentialsRequest { Users = null });
            return Code(response.ErrorCode);
        });
    }

    [Fact]
    public async Task AlterUserScramCredentials_NeedsAlterOnTheCluster_AndARefusedCredentialIsNotStored()
    {
        using var client = _matrix.Client();
        var attempt = 0;
        await _matrix.ClusterMatrixAsync(AclOperation.Alter, ClusterRefused, () =>
        {
            // SCRAM-SHA-256 (1): a salted password of the hash's length.
            var result = client.Call<AlterUserScramCredentialsResponse>(ApiKey.AlterUserScramCredentials, 0, new AlterUserScramCredentialsRequest
            {
                Upsertions = [new() { Name = $"m-scram-{++attempt}", Mechanism = 1, Iterations = 4096, Salt = new byte[16], SaltedPassword = new byte[32] }],
            }).Results.Single();
            return Code(result.ErrorCode);
        });

        // ALTER implies DESCRIBE and the DENY is of ALTER: only the two allowed attempts (2 and 4) stored a credential.
        var users = client.Call<DescribeUserScramCredentialsResponse>(ApiKey.DescribeUserScramCredentials, 0, new DescribeUserScramCredentialsRequest { Users = null });
        Assert.Equal(0, users.ErrorCode);
        Assert.Equal(["m-scram-2", "m-scram-4"], users.Results.Select(r => r.User).Where(u => u.StartsWith("m-scram-", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task ListPartitionReassignments_NeedsDescribeOnTheCluster()
    {
        using var client = _matrix.Client();
        await _matrix.ClusterMatrixAsync(AclOperation.Describe, ClusterRefused, () =>
            Code(client.Call<ListPartitionReassignmentsResponse>(ApiKey.ListPartitionReassignments, 0, new ListPartitionReassignmentsRequest { Topics = null }).ErrorCode));
    }

    [Fact]
    public async Task ElectLeaders_NeedsAlterOnTheCluster()
    {
        await _matrix.CreateTopicsAsync("m-elect");
        using var client = _matrix.Client();
        await _matrix.ClusterMatrixAsync(AclOperation.Alter, ClusterRefused, () =>
        {
            var response = client.Call<ElectLeadersResponse>(ApiKey.ElectLeaders, 2, new ElectLeadersRequest
            {
                ElectionType = 0,
                TopicPartitions = [new() { Topic = "m-elect", Partitions = [0] }],
            });
            var partition = response.ReplicaElectionResults.Single().PartitionResult.Single();
            Assert.Equal(response.ErrorCode == 0, partition.ErrorCode != (short)ClusterRefused);
            return Code(response.ErrorCode);
        });
    }
}
