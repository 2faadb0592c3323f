namespace Tributary.Gateway.Connect.Json;

/// <summary>The answer of <c>GET /health</c> (KIP-1017's <c>WorkerStatus</c>): <c>{"status", "message"}</c>.</summary>
internal sealed record WorkerStatus(string Status, string Message);
