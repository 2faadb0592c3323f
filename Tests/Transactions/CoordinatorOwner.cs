using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Transactions;

namespace Tributary.Tests.Transactions;

/// <summary>
/// Plays the grain around a <see cref="TransactionCoordinator"/>: does every step it asks for, in memory, and records
/// them; producer ids come from a counter; markers fail while <see cref="MarkersFail"/> is set.
/// </summary>
internal sealed class CoordinatorOwner
{
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(15);

    private readonly FakeTimeProvider _time;

    public CoordinatorOwner(FakeTimeProvider time, TransactionMetadata? stored = null)
    {
        _time = time;
        Coordinator = new TransactionCoordinator(MaxTimeout, time);
        Run(Coordinator.Load(stored));
        Steps.Clear();
    }

    public TransactionCoordinator Coordinator { get; }

    public TransactionMetadata Metadata => Coordinator.Metadata;

    /// <summary>Every step asked for since the last <see cref="Steps"/>.Clear(), answers included.</summary>
    public List<TransactionStep> Steps { get; } = [];

    /// <summary>What was last stored, as a restarted owner would load it.</summary>
    public TransactionMetadata? Stored { get; private set; }

    public long NextProducerId { get; set; } = 1000;

    public bool MarkersFail { get; set; }

    /// <summary>How long writing the markers takes: the clock moves on by this much at each marker step.</summary>
    public TimeSpan MarkerWriteTime { get; set; }

    public IEnumerable<TransactionMetadata> Stores => Steps.OfType<TransactionStep.Store>().Select(s => s.Metadata);

    public IEnumerable<TransactionMarkers> Markers => Steps.OfType<TransactionStep.WriteMarkers>().Select(s => s.Markers);

    public ErrorCode Run(TransactionStep step)
    {
        while (true)
        {
            Steps.Add(step);
            switch (step)
            {
                case TransactionStep.Answer answer:
                    return answer.Error;
                case TransactionStep.Store store:
                    Stored = store.Metadata;
                    step = Coordinator.Continue();
                    break;
                case TransactionStep.AllocateProducerId:
                    step = Coordinator.Continue(NextProducerId++);
                    break;
                case TransactionStep.WriteMarkers when MarkersFail:
                    throw new IOException("A partition did not take its marker.");
                case TransactionStep.WriteMarkers:
                    _time.Advance(MarkerWriteTime);
                    step = Coordinator.Continue();
                    break;
                default:
                    throw new InvalidOperationException($"Unknown step {step}.");
            }
        }
    }

    public (ErrorCode Error, long ProducerId, short ProducerEpoch) InitProducerId(int timeoutMs = 60_000, long expectedProducerId = -1, short expectedProducerEpoch = -1)
    {
        var error = Run(Coordinator.InitProducerId(timeoutMs, expectedProducerId, expectedProducerEpoch));
        return (error, Metadata.ProducerId, Metadata.ProducerEpoch);
    }

    public ErrorCode AddPartitions(long producerId, short producerEpoch, params TopicPartition[] partitions) =>
        Run(Coordinator.AddPartitions(producerId, producerEpoch, partitions));

    public ErrorCode AddOffsets(long producerId, short producerEpoch, string groupId) =>
        Run(Coordinator.AddOffsets(producerId, producerEpoch, groupId));

    public ErrorCode EndTxn(long producerId, short producerEpoch, bool commit) =>
        Run(Coordinator.EndTxn(producerId, producerEpoch, commit));

    public ErrorCode CheckTimeout() => Run(Coordinator.CheckTimeout());

    public ErrorCode Flush() => Run(Coordinator.Flush());
}
