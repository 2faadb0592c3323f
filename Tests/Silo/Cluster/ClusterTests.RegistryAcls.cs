using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Tributary.Tests.Silo.Cluster;

public sealed partial class ClusterTests
{
    /// <summary>
    /// A Schema Registry ACL created through one silo's registry holds on the other silos' registries within a second,
    /// and its deletion too: alice reads a subject on silos 2 and 3 once silo 1 grants SUBJECT_READ, and is refused
    /// again once it is removed.
    /// </summary>
    [Fact]
    public async Task ARegistryAclCreatedThroughOneSilo_HoldsOnEverySiloWithinASecond_AndItsDeletionToo()
    {
        using var admin = RegistryHttp(1, "admin");
        var registered = await admin.PostAsJsonAsync("/subjects/cluster-acl-value/versions", new { schema = """{"type":"string"}""" });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var alices = new[] { RegistryHttp(2, "alice"), RegistryHttp(3, "alice") };
        try
        {
            Assert.All(await Task.WhenAll(alices.Select(ReadStatusAsync)), status => Assert.Equal(HttpStatusCode.Forbidden, status));

            var grant = await admin.PostAsJsonAsync("/acls", new { principal = "User:alice", operation = "SUBJECT_READ", subject = "cluster-acl-value" });
            Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
            var allowedAfter = await WaitOnRegistriesAsync(alices, HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/acls?principal=User:alice")).StatusCode);
            var refusedAfter = await WaitOnRegistriesAsync(alices, HttpStatusCode.Forbidden);

            output.WriteLine($"registry ACL held on silos 2-3 after {string.Join(", ", allowedAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}; " +
                $"its deletion after {string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}");
            Assert.True(allowedAfter.Max() < TimeSpan.FromSeconds(2), $"held after {string.Join(", ", allowedAfter)}");
            Assert.True(refusedAfter.Max() < TimeSpan.FromSeconds(2), $"deleted after {string.Join(", ", refusedAfter)}");
        }
        finally
        {
            Array.ForEach(alices, a => a.Dispose());
        }
    }

    private HttpClient RegistryHttp(int silo, string user) => new()
    {
        BaseAddress = new Uri(Cluster.Silos[silo].RegistryUrl),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{user}-secret"))) },
    };

    private static async Task<HttpStatusCode> ReadStatusAsync(HttpClient registry) =>
        (await registry.GetAsync("/subjects/cluster-acl-value/versions/latest")).StatusCode;

    /// <summary>How long after now each registry first answers alice's read with <paramref name="status"/>.</summary>
    private static async Task<TimeSpan[]> WaitOnRegistriesAsync(HttpClient[] registries, HttpStatusCode status)
    {
        var since = Stopwatch.StartNew();
        var after = new TimeSpan?[registries.Length];
        while (after.Any(a => a is null) && since.Elapsed < TimeSpan.FromSeconds(10))
        {
            for (var i = 0; i < registries.Length; i++)
            {
                if (after[i] is null && await ReadStatusAsync(registries[i]) == status)
                {
                    after[i] = since.Elapsed;
                }
            }

            await Task.Delay(5);
        }

        Assert.All(after, a => Assert.NotNull(a));
        return after.Select(a => a!.Value).ToArray();
    }
}
