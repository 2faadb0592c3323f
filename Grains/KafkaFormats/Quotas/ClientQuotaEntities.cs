using Orleans;

namespace Tributary.Grains.KafkaFormats.Quotas;

/// <summary>
/// A name in a client quota entity: a user's or a client id's (or an IP address), or, with a null
/// <see cref="Name"/>, the entity type's default (<c>&lt;default&gt;</c> in <c>kafka-configs</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaName")]
public sealed record ClientQuotaName([property: Id(0)] string? Name)
{
    public static readonly ClientQuotaName Default = new((string?)null);

    public override string ToString() => Name ?? "<default>";
}

/// <summary>
/// Whom a client quota applies to, as Kafka's <c>ClientQuotaEntity</c>: a user, a client id or both (each a name or
/// the default), or an IP address; a part left null is not in the entity.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaEntity")]
public sealed record ClientQuotaEntity(
    [property: Id(0)] ClientQuotaName? User,
    [property: Id(1)] ClientQuotaName? ClientId,
    [property: Id(2)] ClientQuotaName? Ip = null)
{
    public const string UserType = "user";
    public const string ClientIdType = "client-id";
    public const string IpType = "ip";

    /// <summary>The entity's parts as the protocol lists them: (type, name or null for the default).</summary>
    public IEnumerable<(string Type, string? Name)> Parts()
    {
        if (User is not null)
        {
            yield return (UserType, User.Name);
        }

        if (ClientId is not null)
        {
            yield return (ClientIdType, ClientId.Name);
        }

        if (Ip is not null)
        {
            yield return (IpType, Ip.Name);
        }
    }

    /// <summary>As Kafka writes an entity in its messages: <c>ClientQuotaEntity(entries={user=alice, client-id=null})</c>.</summary>
    public override string ToString() => $"ClientQuotaEntity(entries={{{string.Join(", ", Parts().Select(p => $"{p.Type}={p.Name ?? "null"}"))}}})";
}

/// <summary>One quota value of an entity: a key such as <c>producer_byte_rate</c> and its bound.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaValue")]
public sealed record ClientQuotaValue([property: Id(0)] string Key, [property: Id(1)] double Value);

/// <summary>An entity and the quotas set for it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaEntry")]
public sealed record ClientQuotaEntry([property: Id(0)] ClientQuotaEntity Entity, [property: Id(1)] IReadOnlyList<ClientQuotaValue> Values);

/// <summary>The cluster's client quotas at one <see cref="Version"/>: what every broker enforces.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaSnapshot")]
public sealed record ClientQuotaSnapshot([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<ClientQuotaEntry> Entries);

/// <summary>
/// One entry of an AlterClientQuotas as the client sent it: the entity's parts (type, name or null for the default),
/// not yet checked, and the changes (a value set, or with <see cref="ClientQuotaOperation.Remove"/> the key removed).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaAlteration")]
public sealed record ClientQuotaAlteration(
    [property: Id(0)] IReadOnlyList<ClientQuotaEntityPart> Entity, [property: Id(1)] IReadOnlyList<ClientQuotaOperation> Operations);

/// <summary>A part of an entity as a request names it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaEntityPart")]
public sealed record ClientQuotaEntityPart([property: Id(0)] string Type, [property: Id(1)] string? Name);

/// <summary>A change to one quota key.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaOperation")]
public sealed record ClientQuotaOperation([property: Id(0)] string Key, [property: Id(1)] double Value, [property: Id(2)] bool Remove);

/// <summary>What became of one entry of an AlterClientQuotas: done (or valid, when only validated), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Quotas.ClientQuotaAlterationOutcome")]
public sealed record ClientQuotaAlterationOutcome(
    [property: Id(0)] IReadOnlyList<ClientQuotaEntityPart> Entity, [property: Id(1)] ErrorCode Error, [property: Id(2)] string? Message);
