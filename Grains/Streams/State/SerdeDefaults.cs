using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>Takes the application's default serde for a typed place, or says clearly why it does not fit.</summary>
internal static class SerdeDefaults
{
    public static ISerde<T> As<T>(ISerde serde, string role, string where) =>
        serde as ISerde<T>
        ?? throw new StreamsException(
            $"The default {role} serde ({serde.GetType().Name}, for {serde.Type.Name}) does not fit {where}, "
            + $"which needs a serde for {typeof(T).Name}: give one explicitly (Consumed, Produced, Grouped or Materialized).");
}
