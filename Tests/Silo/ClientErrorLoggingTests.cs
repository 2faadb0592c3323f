using System.Globalization;
using System.Text.RegularExpressions;
using Tributary.Tests.Silo.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>What the broker logs about clients that misbehave: rate-limited, so that no client decides the log's volume.</summary>
public sealed partial class ClientErrorLoggingTests : IDisposable
{
    private const int Flood = 200;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task AFloodOfMalformedConnections_WritesOneLinePerInterval_CountingTheOthers_AndTheBrokerKeepsServing()
    {
        await using var silo = await SiloProcess.StartAsync(_data);

        var flood = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Flood; i++)
        {
            SendMalformed(silo.KafkaPort);
        }

        var elapsed = flood.Elapsed;
        await KafkaPortProbe.WaitUntilAnsweredAsync(silo.KafkaPort, TimeSpan.FromSeconds(10));
        // The console logger writes from a queue of its own: the first line may reach the output a moment after the
        // broker answers again.
        var duringFlood = await WaitForAsync(() => MalformedLines(silo.Output) is { Count: > 0 } l ? l : null);
        Assert.InRange(duringFlood.Count, 1, 1 + (int)(elapsed / TimeSpan.FromSeconds(10)));

        // Once the interval has passed, the next one is logged with the count of those held back: every malformed
        // connection is accounted for, in a line or in a count.
        await Task.Delay(TimeSpan.FromSeconds(10.5));
        SendMalformed(silo.KafkaPort);
        var lines = await WaitForAsync(() => MalformedLines(silo.Output) is { } l && l.Count > duringFlood.Count ? l : null);
        Assert.Equal(Flood + 1, lines.Count + lines.Sum());
    }

    private static void SendMalformed(int port)
    {
        using var client = new RawKafkaClient(port);
        client.SendRaw([0, 0, 0, 2, 0, 0]);
        Assert.True(client.IsClosedByBroker());
    }

    /// <summary>The held-back count each malformed-request line reports.</summary>
    private static List<long> MalformedLines(string output) =>
        [.. MalformedLine().Matches(output).Select(m => long.Parse(m.Groups["held"].Value, CultureInfo.InvariantCulture))];

    private static async Task<T> WaitForAsync<T>(Func<T?> read)
        where T : class
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (read() is { } value)
            {
                return value;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "The line did not appear within 10 s.");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"malformed request: .* \((?<held>\d+) more such lines held back since the last\)")]
    private static partial Regex MalformedLine();
}
