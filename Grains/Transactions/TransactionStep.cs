using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Transactions;

/// <summary>What the owner of a <see cref="TransactionCoordinator"/> must do next for the request under way.</summary>
public abstract record TransactionStep
{
    /// <summary>Store <paramref name="Metadata"/> durably, then <see cref="TransactionCoordinator.Continue()"/>.</summary>
    public sealed record Store(TransactionMetadata Metadata) : TransactionStep;

    /// <summary>Take a producer id never handed out before, then <see cref="TransactionCoordinator.Continue(long)"/> with it.</summary>
    public sealed record AllocateProducerId : TransactionStep;

    /// <summary>
    /// Write the markers to every partition and complete the groups' pending offsets, then
    /// <see cref="TransactionCoordinator.Continue()"/>. The decision is stored already; doing this twice changes nothing.
    /// </summary>
    public sealed record WriteMarkers(TransactionMarkers Markers) : TransactionStep;

    /// <summary>The request is done: answer it with <paramref name="Error"/>.</summary>
    public sealed record Answer(ErrorCode Error) : TransactionStep;
}
