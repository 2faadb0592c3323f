using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>
/// A broker with small limits, and a topic of its own (<see cref="SteadyTopic"/>) created first, for the well-behaved
/// producer that each test keeps running while it pushes against a limit.
/// </summary>
public abstract class LimitsBroker : BrokerFixture
{
    public const string SteadyTopic = "steady";

    /// <summary>The p99 acknowledgement latency the well-behaved producer must stay under (this machine's cores are shared).</summary>
    public static readonly TimeSpan ServedP99 = TimeSpan.FromSeconds(2);

    protected abstract IReadOnlyList<string> Limits { get; }

    protected sealed override IReadOnlyList<string> Settings => Limits;

    public override async Task InitializeAsync()
    {
        await StartAsync();
        await this.CreateAsync(SteadyTopic, 1);
    }
}

/// <summary>A broker with its default limits.</summary>
public sealed class DefaultLimitsBroker : LimitsBroker
{
    protected override IReadOnlyList<string> Limits => [];
}
