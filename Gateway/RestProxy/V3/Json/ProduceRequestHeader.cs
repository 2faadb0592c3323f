namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>A header of a v3 record: its name, and its value in base64 (or none).</summary>
internal sealed record ProduceRequestHeader(string? Name, string? Value);
