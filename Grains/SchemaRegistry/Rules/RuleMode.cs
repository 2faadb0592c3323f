namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>Where rules run, by Confluent's rule modes: as a record is written (serialized) or read (deserialized).</summary>
public enum RuleMode
{
    /// <summary>Serializing: rules of mode WRITE and WRITEREAD, in order; of two actions (<c>a,b</c>), the first.</summary>
    Write,

    /// <summary>Deserializing: rules of mode READ and WRITEREAD, in reverse order; of two actions, the second.</summary>
    Read,
}
