namespace Tributary.Gateway.Connect.Json;

/// <summary>
/// A logger's level as <c>/admin/loggers</c> shows it (Kafka's <c>LoggerLevel</c>, KIP-976): <c>last_modified</c> is
/// when it was last set through the API, in milliseconds since the epoch, null when it has not been since the start.
/// </summary>
internal sealed record LoggerLevel(string Level, long? LastModified);
