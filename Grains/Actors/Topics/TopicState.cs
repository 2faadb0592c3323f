using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// What a topic grain stores. A topic exists once <see cref="TopicId"/> is set, until it is deleted: then
/// <see cref="Deleting"/> keeps its id and partitions while their data is removed, and the state is cleared after.
/// </summary>
[GenerateSerializer, Alias("Tributary.Grains.TopicState")]
public sealed class TopicState
{
    [Id(0)]
    public Guid TopicId { get; set; }

    [Id(1)]
    public int PartitionCount { get; set; }

    /// <summary>Configs set on the topic; the rest take their defaults.</summary>
    [Id(2)]
    public Dictionary<string, string> Configs { get; set; } = [];

    /// <summary>
    /// The broker of each partition's one replica, as topics were stored before their partitions had registrations:
    /// read once to upgrade them (<see cref="Upgrade"/>), never written.
    /// </summary>
    [Id(3)]
    public List<int> PartitionBrokers { get; set; } = [];

    /// <summary>Each partition's replication state (replicas, ISR, leader, epochs), by partition index.</summary>
    [Id(5)]
    public List<PartitionRegistration> Partitions { get; set; } = [];

    /// <summary>The topic was deleted and its partitions are being removed.</summary>
    [Id(4)]
    public bool Deleting { get; set; }

    public bool Exists => TopicId != Guid.Empty && !Deleting;

    public bool PendingDeletion => TopicId != Guid.Empty && Deleting;

    /// <summary>A topic stored with <see cref="PartitionBrokers"/> gets a registration per partition: its one replica leads, at epoch 0.</summary>
    public void Upgrade()
    {
        if (Partitions.Count == 0 && PartitionBrokers.Count > 0)
        {
            Partitions = [.. PartitionBrokers.Select(b => PartitionRegistration.New([b]))];
            PartitionBrokers = [];
        }
    }
}
