namespace Tributary.Gateway.Connect.Json;

/// <summary>The connectors' topics, under each connector's name (KIP-558's <c>ActiveTopicsInfo</c>): <c>{"topics": [...]}</c>.</summary>
internal sealed record ActiveTopics(IReadOnlyList<string> Topics);
