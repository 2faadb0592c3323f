namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// What high-availability task assignment works to (Kafka Streams' <c>AssignmentConfigs</c>): the standby replicas of
/// each stateful task (<c>num.standby.replicas</c>), how far behind its changelog a copy of a task's state may be and
/// still count as caught up (<c>acceptable.recovery.lag</c>, 10,000 records by default; <see cref="long.MaxValue"/>
/// counts every copy as caught up), and how many extra standbys an assignment may hand out to warm a task's state up
/// where it is to move (<c>max.warmup.replicas</c>, 2 by default).
/// </summary>
internal sealed record TaskAssignmentSettings(int NumStandbyReplicas, long AcceptableRecoveryLag = 10_000, int MaxWarmupReplicas = 2);
