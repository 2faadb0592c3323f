namespace Tributary.Gateway.Connect.Json;

/// <summary>What an offsets alteration or reset did (Kafka's <c>Message</c>): <c>{"message"}</c>.</summary>
internal sealed record ConnectMessage(string Message);
