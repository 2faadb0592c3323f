namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>What a produced key or value was, as v3's delivery reports show it: its type and size, and its schema for Avro.</summary>
internal sealed record ProduceResponseData(string Type, int Size, string? Subject = null, int? SchemaId = null);
