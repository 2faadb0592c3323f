using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams;

/// <summary>
/// The settings of a stream application, with Kafka Streams' names and defaults in the comments (Kafka's
/// <c>StreamsConfig</c>). Client settings for the consumer, producer and admin client go in
/// <see cref="ClientConfig"/> (all three) or their own dictionaries, with librdkafka's names.
/// </summary>
public sealed class StreamsConfig
{
    /// <summary><c>application.id</c>: the consumer group, the prefix of internal topics and of transactional ids. Required.</summary>
    public required string ApplicationId { get; init; }

    /// <summary><c>bootstrap.servers</c>. Default <c>localhost:9092</c>.</summary>
    public string BootstrapServers { get; init; } = "localhost:9092";

    /// <summary><c>default.key.serde</c>: none by default (as Kafka 3), so a key serde must be given where one is used.</summary>
    public ISerde? DefaultKeySerde { get; init; }

    /// <summary><c>default.value.serde</c>: none by default.</summary>
    public ISerde? DefaultValueSerde { get; init; }

    /// <summary><c>default.timestamp.extractor</c>. Default <see cref="FailOnInvalidTimestamp"/>.</summary>
    public ITimestampExtractor DefaultTimestampExtractor { get; init; } = new FailOnInvalidTimestamp();

    /// <summary><c>default.deserialization.exception.handler</c>. Default <see cref="DeserializationExceptionHandling.LogAndFail"/>.</summary>
    public DeserializationExceptionHandling DeserializationExceptionHandler { get; init; } = DeserializationExceptionHandling.LogAndFail;

    /// <summary><c>num.stream.threads</c>. Default 1.</summary>
    public int NumStreamThreads { get; init; } = 1;

    /// <summary>
    /// <c>num.standby.replicas</c>: how many other instances keep a copy of each task's persistent stores, following
    /// their changelogs, so that a task that moves to one of them restores only what it missed. Default 0.
    /// </summary>
    public int NumStandbyReplicas { get; init; }

    /// <summary>
    /// <c>acceptable.recovery.lag</c>: how many records behind its changelogs an instance's copy of a task's state may
    /// be and still count as caught up, so that the task may be made active there at once. Default 10,000.
    /// </summary>
    public long AcceptableRecoveryLag { get; init; } = 10_000;

    /// <summary>
    /// <c>max.warmup.replicas</c>: how many extra standbys (warm-up replicas) one assignment may hand out to copy a
    /// task's state where the task is to move, beyond <see cref="NumStandbyReplicas"/>. Default 2.
    /// </summary>
    public int MaxWarmupReplicas { get; init; } = 2;

    /// <summary>
    /// <c>probing.rebalance.interval.ms</c>: how long after an assignment with warm-up replicas the instances ask for
    /// another, which moves the tasks whose warm-ups have caught up. At least one minute. Default 10 minutes.
    /// </summary>
    public TimeSpan ProbingRebalanceInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><c>processing.guarantee</c>. Default <see cref="ProcessingGuarantee.AtLeastOnce"/>.</summary>
    public ProcessingGuarantee ProcessingGuarantee { get; init; } = ProcessingGuarantee.AtLeastOnce;

    /// <summary><c>commit.interval.ms</c>. Default 30 s, or 100 ms with exactly-once.</summary>
    public TimeSpan? CommitInterval { get; init; }

    /// <summary>
    /// <c>statestore.cache.max.bytes</c> (formerly <c>cache.max.bytes.buffering</c>): the memory of the record caches of
    /// all threads, divided equally among them. A cached store (the DSL's, unless materialized without caching)
    /// writes each key's latest change to its changelog and downstream once per commit or when the cache evicts it,
    /// so downstream sees fewer updates. 0 turns caching off: every change is written and forwarded. Default 10 MiB.
    /// </summary>
    public long StatestoreCacheMaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>poll.ms</c>: how long a thread waits for records when it has none to process. Default 100 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary><c>replication.factor</c> of the internal topics; -1 (the default) takes the broker's default.</summary>
    public short ReplicationFactor { get; init; } = -1;

    /// <summary>Settings for every client the application makes (librdkafka names, e.g. <c>security.protocol</c>).</summary>
    public IReadOnlyDictionary<string, string> ClientConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings for the consumers only (Kafka's <c>consumer.</c> prefix).</summary>
    public IReadOnlyDictionary<string, string> ConsumerConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings for the producers only (Kafka's <c>producer.</c> prefix).</summary>
    public IReadOnlyDictionary<string, string> ProducerConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>state.dir</c>: where persistent stores live, under <c>&lt;state.dir&gt;/&lt;application.id&gt;/&lt;task&gt;</c>. Default
    /// <c>kafka-streams</c> in the temporary directory, as Kafka's. Instances of one application on one machine need one each.
    /// </summary>
    public string StateDir { get; init; } = Path.Combine(Path.GetTempPath(), "kafka-streams");

    /// <summary>
    /// <c>application.server</c>: <c>host:port</c> where this instance answers queries of its stores, told to the other
    /// instances so that <see cref="KafkaStreams.QueryMetadataForKeyAsync{TKey}"/> can say where a key lives. None by default.
    /// </summary>
    public string? ApplicationServer { get; init; }

    /// <summary>The wall clock; the test driver's is mocked.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    internal TimeSpan EffectiveCommitInterval =>
        CommitInterval ?? (ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(30));

    /// <summary>The directory of the application's state on this machine.</summary>
    internal string ApplicationDirectory => Path.Combine(StateDir, ApplicationId);

    /// <summary>The directory of a task's persistent stores and checkpoint.</summary>
    internal string TaskDirectory(TaskId task) => Path.Combine(ApplicationDirectory, task.ToString());

    /// <summary>The directory of the global stores.</summary>
    internal string GlobalDirectory => Path.Combine(ApplicationDirectory, "global");

    /// <summary>The record cache of one stream thread: its share of <see cref="StatestoreCacheMaxBytes"/>.</summary>
    internal State.ThreadCache NewThreadCache() => new(StatestoreCacheMaxBytes / NumStreamThreads);

    internal ISerde KeySerdeOrMissing => DefaultKeySerde ?? new MissingSerde("key");

    internal ISerde ValueSerdeOrMissing => DefaultValueSerde ?? new MissingSerde("value");

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApplicationId))
        {
            throw new ArgumentException("application.id must be set", nameof(ApplicationId));
        }

        if (ApplicationServer is not null && HostInfo.Parse(ApplicationServer) is null)
        {
            throw new ArgumentException($"application.server must be host:port; got '{ApplicationServer}'", nameof(ApplicationServer));
        }

        if (NumStreamThreads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NumStreamThreads), NumStreamThreads, "num.stream.threads must be at least 1");
        }

        if (StatestoreCacheMaxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(StatestoreCacheMaxBytes), StatestoreCacheMaxBytes, "statestore.cache.max.bytes must not be negative");
        }

        if (NumStandbyReplicas < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NumStandbyReplicas), NumStandbyReplicas, "num.standby.replicas must not be negative");
        }

        if (AcceptableRecoveryLag < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AcceptableRecoveryLag), AcceptableRecoveryLag, "acceptable.recovery.lag must not be negative");
        }

        if (MaxWarmupReplicas < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWarmupReplicas), MaxWarmupReplicas, "max.warmup.replicas must be at least 1");
        }

        if (ProbingRebalanceInterval < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ProbingRebalanceInterval), ProbingRebalanceInterval, "probing.rebalance.interval.ms must be at least one minute");
        }
    }
}

/// <summary><c>processing.guarantee</c>.</summary>
public enum ProcessingGuarantee
{
    /// <summary><c>at_least_once</c>: after a failure some records may be processed again.</summary>
    AtLeastOnce,

    /// <summary><c>exactly_once_v2</c>: outputs, state changes and input offsets commit together in one transaction per thread.</summary>
    ExactlyOnceV2,
}

/// <summary>What a record that cannot be deserialized does (Kafka's <c>default.deserialization.exception.handler</c>).</summary>
public enum DeserializationExceptionHandling
{
    /// <summary>Fails the thread (Kafka's <c>LogAndFailExceptionHandler</c>, the default).</summary>
    LogAndFail,

    /// <summary>Logs and skips the record (Kafka's <c>LogAndContinueExceptionHandler</c>).</summary>
    LogAndContinue,
}
