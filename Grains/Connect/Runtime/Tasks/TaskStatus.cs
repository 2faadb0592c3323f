namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>A task's state as Connect reports it (Kafka's <c>AbstractStatus.State</c> for tasks), with a failure's trace.</summary>
public sealed record TaskStatus(string State, string? Trace = null)
{
    public static readonly TaskStatus Unassigned = new("UNASSIGNED");
    public static readonly TaskStatus Running = new("RUNNING");
    public static readonly TaskStatus Paused = new("PAUSED");

    public static TaskStatus Failed(Exception error) => new("FAILED", error.ToString());
}
