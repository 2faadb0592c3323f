using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

public sealed partial class ClusterTests
{
    /// <summary>
    /// Silo-to-silo TLS keeps out a silo whose certificate the cluster's truststore does not vouch for, though it knows
    /// the membership store and trusts the others: it never joins, and the three brokers carry on as before.
    /// </summary>
    [Fact]
    public async Task ASiloWithACertificateTheClusterDoesNotTrust_CannotJoin()
    {
        var environment = new Dictionary<string, string>(Cluster.Environment)
        {
            ["Tributary__Cluster__Ssl__KeystoreLocation"] = fixture.UntrustedKeystore(),
        };
        var data = Path.Combine(Path.GetTempPath(), "tributary-tests", "untrusted-" + Guid.NewGuid().ToString("N"));
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloLauncher.StartAsync(
                data, environment, ["--broker-id", "4", "--advertised-ip", "127.0.0.1", .. Cluster.Membership]));
            // Orleans checks a joining silo's connections to every active silo first: each refused its handshake.
            Assert.Contains("Failed to get ping responses from 3 of 3 active silos", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }

        await SiloCluster.WaitForBrokersAsync(Cluster.KafkaPort(1), [1, 2, 3], TimeSpan.FromSeconds(30));
    }
}
