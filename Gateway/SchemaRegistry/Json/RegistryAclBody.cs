using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>
/// One registry ACL, with the fields of Confluent's <c>sr-acl-cli</c>: who (<c>User:alice</c>, or <c>User:*</c>), from
/// where (an address, or <c>*</c>), may or may not (ALLOW or DENY) do which operation (<c>SUBJECT_READ</c> ...) to
/// which subjects (a literal name, <c>*</c> for all, or a prefix); the GLOBAL operations name no subject.
/// </summary>
internal sealed record RegistryAclBody(
    [property: JsonPropertyName("principal")] string? Principal,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("operation")] string? Operation,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("pattern_type")] string? PatternType,
    [property: JsonPropertyName("permission")] string? Permission);
