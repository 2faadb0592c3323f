using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>A record the partitioner cannot place (Confluent's <c>io.confluent.connect.storage.errors.PartitionException</c>).</summary>
public sealed class PartitionException(string message) : ConnectException(message);
