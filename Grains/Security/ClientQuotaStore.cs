using System.Globalization;
using System.Net;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Grains.Security;

/// <summary>
/// The cluster's client quotas with Kafka's rules for changing them (its controller's <c>ClientQuotaControlManager</c>):
/// an entity is a user, a client id, both, or an IP address, each named or the default; a key must be one its entity
/// takes, its value above zero and whole where the key is integral; removing a key that is not set changes nothing.
/// Each entry of a request is checked and applied on its own; a request naming an entity twice, or a key twice in one
/// entry, has that entity refused. Each change moves <see cref="Version"/>, so that the brokers' copies know when to
/// read again. Not thread-safe: its owner changes it one request at a time.
/// </summary>
public sealed class ClientQuotaStore
{
    private readonly Dictionary<ClientQuotaEntity, Dictionary<string, double>> _entries = [];

    public ClientQuotaStore(IEnumerable<ClientQuotaEntry> entries, long version)
    {
        foreach (var entry in entries)
        {
            _entries[entry.Entity] = entry.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        }

        Version = version;
    }

    public long Version { get; private set; }

    public IReadOnlyList<ClientQuotaEntry> Entries =>
        [.. _entries.Select(e => new ClientQuotaEntry(e.Key, [.. e.Value.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new ClientQuotaValue(v.Key, v.Value))]))];

    /// <summary>
    /// Applies each valid entry (or, with <paramref name="validateOnly"/>, only checks it); one outcome per distinct
    /// entity, in the order first named, as Kafka answers (an entity named twice is refused, and answered once).
    /// </summary>
    public IReadOnlyList<ClientQuotaAlterationOutcome> Alter(IReadOnlyList<ClientQuotaAlteration> alterations, bool validateOnly)
    {
        var outcomes = new List<ClientQuotaAlterationOutcome>(alterations.Count);
        var checkedEntries = new List<(ClientQuotaEntity? Entity, ClientQuotaAlteration Alteration, ErrorCode Error, string? Message)>();
        foreach (var alteration in alterations)
        {
            var (entity, error, message) = Check(alteration);
            checkedEntries.Add((entity, alteration, error, message));
        }

        // An entity named by two entries is refused in both: neither change is made.
        var twice = checkedEntries.Where(c => c.Entity is not null).GroupBy(c => c.Entity!).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var answered = new HashSet<ClientQuotaEntity>();
        var changed = false;
        foreach (var (entity, alteration, error, message) in checkedEntries)
        {
            if (entity is not null && twice.Contains(entity))
            {
                // Kafka applies the first of the two and still answers with this refusal: here neither is applied.
                if (answered.Add(entity))
                {
                    outcomes.Add(new(alteration.Entity, ErrorCode.InvalidRequest, $"Ignoring duplicate entity {entity}"));
                }

                continue;
            }

            if (error != ErrorCode.None)
            {
                outcomes.Add(new(alteration.Entity, error, message));
                continue;
            }

            if (!validateOnly)
            {
                changed |= Apply(entity!, alteration.Operations);
            }

            outcomes.Add(new(alteration.Entity, ErrorCode.None, null));
        }

        if (changed)
        {
            Version++;
        }

        return outcomes;
    }

    private bool Apply(ClientQuotaEntity entity, IReadOnlyList<ClientQuotaOperation> operations)
    {
        if (!_entries.TryGetValue(entity, out var values))
        {
            values = new Dictionary<string, double>(StringComparer.Ordinal);
        }

        var changed = false;
        foreach (var operation in operations)
        {
            if (operation.Remove)
            {
                changed |= values.Remove(operation.Key);
            }
            else if (!values.TryGetValue(operation.Key, out var current) || current != operation.Value)
            {
                values[operation.Key] = operation.Value;
                changed = true;
            }
        }

        if (values.Count == 0)
        {
            _entries.Remove(entity);
        }
        else
        {
            _entries[entity] = values;
        }

        return changed;
    }

    private static (ClientQuotaEntity? Entity, ErrorCode Error, string? Message) Check(ClientQuotaAlteration alteration)
    {
        if (alteration.Entity.Count == 0)
        {
            return (null, ErrorCode.InvalidRequest, "Invalid empty client quota entity");
        }

        ClientQuotaName? user = null, clientId = null, ip = null;
        foreach (var part in alteration.Entity)
        {
            var name = new ClientQuotaName(part.Name);
            var duplicate = part.Type switch
            {
                ClientQuotaEntity.UserType => Set(ref user, name),
                ClientQuotaEntity.ClientIdType => Set(ref clientId, name),
                ClientQuotaEntity.IpType => Set(ref ip, name),
                _ => (bool?)null,
            };
            if (duplicate is null)
            {
                return (null, ErrorCode.InvalidRequest, $"Unhandled client quota entity type: {part.Type}");
            }

            if (duplicate.Value)
            {
                return (null, ErrorCode.InvalidRequest, $"Invalid client quota entity, duplicate entity entry {part.Type}");
            }

            if (part.Name is { Length: 0 })
            {
                return (null, ErrorCode.InvalidRequest, $"Empty {part.Type} not supported");
            }
        }

        var entity = new ClientQuotaEntity(user, clientId, ip);
        IReadOnlyDictionary<string, ClientQuotaValueType> keys;
        if (ip is not null)
        {
            if (user is not null || clientId is not null)
            {
                return (entity, ErrorCode.InvalidRequest, "Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId");
            }

            if (ip.Name is not null && !IPAddress.TryParse(ip.Name, out _))
            {
                return (entity, ErrorCode.InvalidRequest, $"{ip.Name} is not a valid IP or resolvable host.");
            }

            keys = ClientQuotaKeys.Ip;
        }
        else
        {
            keys = ClientQuotaKeys.UserAndClient;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in alteration.Operations)
        {
            if (!seen.Add(operation.Key))
            {
                return (entity, ErrorCode.InvalidRequest, $"Duplicate quota key {operation.Key} not updating quota for this entity {entity}");
            }

            if (!operation.Remove && CheckValue(keys, operation.Key, operation.Value) is { } reason)
            {
                return (entity, ErrorCode.InvalidRequest, reason);
            }
        }

        return (entity, ErrorCode.None, null);
    }

    private static bool Set(ref ClientQuotaName? slot, ClientQuotaName name)
    {
        if (slot is not null)
        {
            return true;
        }

        slot = name;
        return false;
    }

    /// <summary>Kafka's <c>validateQuotaKeyValue</c>: null when the value is one the key takes, else why not.</summary>
    private static string? CheckValue(IReadOnlyDictionary<string, ClientQuotaValueType> keys, string key, double value)
    {
        if (!keys.TryGetValue(key, out var type))
        {
            return $"Invalid configuration key {key}";
        }

        if (!(value > 0.0))
        {
            return $"Quota {key} must be greater than 0";
        }

        return type switch
        {
            ClientQuotaValueType.Int when value > int.MaxValue => $"Proposed value for {key} is too large for an INT.",
            ClientQuotaValueType.Long when value > long.MaxValue => $"Proposed value for {key} is too large for a LONG.",
            ClientQuotaValueType.Double => double.IsFinite(value) ? null : $"Proposed value for {key} is not a finite number.",
            _ when Math.Abs(value % 1.0) > 1e-6 => string.Create(CultureInfo.InvariantCulture, $"{key} cannot be a fractional value."),
            _ => null,
        };
    }
}
