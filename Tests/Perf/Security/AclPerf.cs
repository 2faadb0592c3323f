using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Security;

/// <summary>
/// What Kafka's standard authorizer costs a producer: a silo started here with the authorizer on and N ACLs (literal,
/// prefixed and DENY ACLs of other users on topics, groups and transactional ids, and one prefixed ALLOW that lets the
/// measured user write), producer-perf over SASL_PLAINTEXT as that user against the same as a super user, whose checks
/// stop at the super-user lookup; rounds alternate, medians and their ratio reported.
/// </summary>
internal static class AclPerf
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var aclCount = arguments.Int("acls", 10_000);
        var records = arguments.Int("records", 300_000);
        var recordSize = arguments.Int("record-size", 1024);
        var rounds = arguments.Int("rounds", 5);
        var root = Path.Combine(Path.GetTempPath(), "tributary-acl-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var plainPort = SiloLauncher.FreePort();
        var saslPort = SiloLauncher.FreePort();
        try
        {
            await using var silo = await SiloLauncher.StartAsync(root,
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
                [
                    "--kafka-port", plainPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{plainPort},SASL_PLAINTEXT://:{saslPort}",
                    "--Tributary:Kafka:Sasl:PlainUsers:admin", "admin-secret",
                    "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
                    "--Tributary:Kafka:Authorizer:ClassName", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                    "--Tributary:Kafka:Authorizer:SuperUsers", "User:admin;User:ANONYMOUS",
                ]);
            Console.WriteLine($"silo pid {silo.ProcessId}");
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"localhost:{plainPort}" }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = "perf-acl", NumPartitions = 1, ReplicationFactor = 1 }]);
                var acls = Enumerable.Range(0, aclCount - 1).Select(Other).Append(Acl(ResourceType.Topic, "perf-", "User:alice", AclOperation.Write, ResourcePatternType.Prefixed)).ToList();
                foreach (var chunk in acls.Chunk(1000))
                {
                    await admin.CreateAclsAsync(chunk);
                }

                Console.WriteLine($"{acls.Count} ACLs created");
            }

            var figures = new Dictionary<string, List<double>> { ["super user"] = [], ["user with ACLs"] = [] };
            Produce("admin", Math.Min(records, 50_000));
            Produce("alice", Math.Min(records, 50_000));
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (who, user) in new[] { ("super user", "admin"), ("user with ACLs", "alice") })
                {
                    var run = Produce(user, records);
                    figures[who].Add(run.MegabytesPerSecond);
                    Console.WriteLine($"round {round}, {who}: {run.MegabytesPerSecond:F1} MB/s, p50 {run.P50 / 1000:F2} ms");
                }
            }

            var baseline = Median(figures["super user"]);
            var checkedUser = Median(figures["user with ACLs"]);
            Console.WriteLine($"median MB/s: super user {baseline:F1}, user checked against {aclCount} ACLs {checkedUser:F1}; ratio {checkedUser / baseline:F3}");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        ProduceFigures Produce(string user, int count) => ProducerPerf.Run($"localhost:{saslPort}", "perf-acl", count, recordSize, Acks.Leader, 5, extra: new Dictionary<string, string>
        {
            ["security.protocol"] = "SASL_PLAINTEXT",
            ["sasl.mechanism"] = "PLAIN",
            ["sasl.username"] = user,
            ["sasl.password"] = user + "-secret",
        });
    }

    /// <summary>The i-th ACL of another user: a literal or prefixed topic ALLOW, a group ALLOW, a topic DENY, by turns.</summary>
    private static AclBinding Other(int i) => (i % 4) switch
    {
        0 => Acl(ResourceType.Topic, $"topic-{i}", $"User:user-{i}", AclOperation.Write),
        1 => Acl(ResourceType.Topic, $"app-{i}-", $"User:user-{i}", AclOperation.Read, ResourcePatternType.Prefixed),
        2 => Acl(ResourceType.Group, $"group-{i}", $"User:user-{i}", AclOperation.Read),
        _ => Acl(ResourceType.Topic, $"perf-{i}", $"User:user-{i}", AclOperation.All, ResourcePatternType.Literal, AclPermissionType.Deny),
    };

    private static AclBinding Acl(
        ResourceType type, string name, string principal, AclOperation operation,
        ResourcePatternType pattern = ResourcePatternType.Literal, AclPermissionType permission = AclPermissionType.Allow) => new()
        {
            Pattern = new ResourcePattern { Type = type, Name = name, ResourcePatternType = pattern },
            Entry = new AccessControlEntry { Principal = principal, Host = "*", Operation = operation, PermissionType = permission },
        };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
