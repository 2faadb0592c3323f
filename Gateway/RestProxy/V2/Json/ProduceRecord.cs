using System.Text.Json;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>
/// One record of a v2 produce request, its key and value as they stand in the request's document (read in place, not
/// copied out); a partition only when the record names one.
/// </summary>
internal sealed record ProduceRecord(JsonElement? Key, JsonElement? Value, int? Partition);
