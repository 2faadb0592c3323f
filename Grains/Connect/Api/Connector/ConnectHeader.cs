using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>One header of a Connect record (Kafka's <c>Header</c>): a key, and a value with its schema (null when schemaless).</summary>
public sealed record ConnectHeader(string Key, Schema? Schema, object? Value)
{
    public ConnectHeader Rename(string key) => this with { Key = key };
}
