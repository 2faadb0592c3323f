using System.Text.Json;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>
/// A key or value of a v3 record: its type, its data (the UTF-8 bytes of its JSON, and the text of a string), and its
/// schema by id, subject version or text.
/// </summary>
internal sealed record ProduceRequestData(
    string? Type, JsonValueKind DataKind, byte[]? Raw, string? Text, int? SchemaId, int? SchemaVersion, string? Subject, string? Schema);
