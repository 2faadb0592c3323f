namespace Tributary.Grains.SchemaRegistry.Associations;

/// <summary>
/// A request's own checks and defaults, before anything stored is looked at, as Confluent's request classes make them
/// (AssociationCreateOrUpdateRequest.validate, AssociationCreateOrUpdateInfo.applyDefaults): names of letters, digits,
/// <c>_</c> and <c>-</c>; the resource type <c>topic</c>; the association type <c>key</c> or <c>value</c> (value when
/// unset); on create, a schema makes the association STRONG and frozen, none makes it WEAK unless said otherwise,
/// STRONG is frozen and WEAK is not, a STRONG association's subject is the topic's own (<see cref="Association.DefaultSubject"/>)
/// and a WEAK one's is given and another.
/// </summary>
public static class AssociationRequests
{
    private const int NameMaxLength = 256;

    /// <summary>The request with its defaults set, or why it is refused.</summary>
    /// <param name="create">A create (POST), not an upsert (PUT).</param>
    /// <param name="dryRun">A validation only, which may leave the resource id out.</param>
    public static (ResourceAsk? Request, AssociationRejection? Rejection) Validate(ResourceAsk request, bool create, bool dryRun)
    {
        if (ValidateResource(request, dryRun) is { } badResource)
        {
            return (null, badResource);
        }

        if (request.Associations is not { Count: > 0 })
        {
            return (null, AssociationRejection.Illegal("associations", "cannot be null or empty"));
        }

        // Each type at most once, checked before anything is looked up: a request holds at most one key and one value.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in request.Associations.Select(a => string.IsNullOrEmpty(a.AssociationType) ? Association.Value : a.AssociationType))
        {
            if (!seen.Add(type))
            {
                return (null, AssociationRejection.Illegal("associationType", $"may only appear once per request, but '{type}' appears more than once"));
            }
        }

        var asks = new List<AssociationAsk>(request.Associations.Count);
        foreach (var ask in request.Associations)
        {
            var (validated, rejection) = ValidateItem(ask, request.ResourceNamespace!, request.ResourceName!, create);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            asks.Add(validated!);
        }

        return (request with { ResourceType = Association.Topic, Associations = asks }, null);
    }

    /// <summary>
    /// A batch request's own checks, all before any of its operations is applied (AssociationOpRequest.validate): the
    /// resource as for one request, operations CREATE, UPSERT or DELETE, each checked as its kind is, and each
    /// association type at most once.
    /// </summary>
    public static AssociationRejection? ValidateOps(ResourceAsk resource, IReadOnlyList<(string? OpType, AssociationAsk Ask)> ops, bool dryRun)
    {
        if (ValidateResource(resource, dryRun) is { } badResource)
        {
            return badResource;
        }

        if (ops.Count == 0)
        {
            return AssociationRejection.Illegal("associations", "cannot be null or empty");
        }

        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (opType, ask) in ops)
        {
            string? type;
            switch (opType)
            {
                case "CREATE" or "UPSERT":
                    var (validated, rejection) = ValidateItem(ask, resource.ResourceNamespace!, resource.ResourceName!, opType == "CREATE");
                    if (rejection is not null)
                    {
                        return rejection;
                    }

                    type = validated!.AssociationType;
                    break;
                case "DELETE":
                    type = string.IsNullOrEmpty(ask.AssociationType) ? Association.Value : ask.AssociationType;
                    if (type is not (Association.Key or Association.Value))
                    {
                        return AssociationRejection.Illegal("associationType", $"must be either '{Association.Key}' or '{Association.Value}'");
                    }

                    break;
                default:
                    return AssociationRejection.Illegal("opType", "must be one of 'CREATE', 'UPSERT' or 'DELETE'");
            }

            if (!types.Add(type!))
            {
                return AssociationRejection.Illegal("associationType", $"may only appear once per request, but '{type}' appears more than once");
            }
        }

        return null;
    }

    /// <summary>
    /// The defaults of an association the resource does not have yet: on create, a schema makes it STRONG (never WEAK,
    /// never unfrozen), none makes it WEAK unless said otherwise; an upsert takes no schema for it. Frozen follows the
    /// lifecycle.
    /// </summary>
    public static (AssociationAsk? Ask, AssociationRejection? Rejection) ApplyDefaults(AssociationAsk ask, bool create)
    {
        if (!create && ask.HasSchema)
        {
            return (null, AssociationRejection.Illegal(
                "schema", "cannot be provided when adding an association to an existing topic; an association with a schema must be created with the topic"));
        }

        var lifecycle = ask.Lifecycle;
        if (ask.HasSchema)
        {
            if (lifecycle == Association.Weak)
            {
                return (null, AssociationRejection.Illegal("lifecycle", "cannot be WEAK when schema is provided"));
            }

            if (ask.Frozen == false)
            {
                return (null, AssociationRejection.Illegal("frozen", "cannot be false when a schema is provided"));
            }

            lifecycle = Association.Strong;
        }

        lifecycle ??= Association.Weak;
        var frozen = lifecycle == Association.Strong;
        if (ask.Frozen is { } asked && asked != frozen)
        {
            return (null, AssociationRejection.Illegal("frozen", $"association with lifecycle of {lifecycle} cannot be frozen={Bool(asked)}"));
        }

        return (ask with { Lifecycle = lifecycle, Frozen = frozen }, null);
    }

    /// <summary>Java's spelling of a boolean in a message.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    private static (AssociationAsk? Ask, AssociationRejection? Rejection) ValidateItem(AssociationAsk ask, string resourceNamespace, string resourceName, bool create)
    {
        if (ask.Subject is { } subject && (subject.Length == 0 || subject.Any(char.IsControl)))
        {
            return (null, AssociationRejection.Illegal("subject", "must not be empty"));
        }

        if (ask.Lifecycle is not (null or Association.Strong or Association.Weak))
        {
            return (null, AssociationRejection.Illegal("lifecycle", $"must be either '{Association.Strong}' or '{Association.Weak}'"));
        }

        if (create)
        {
            var (defaulted, rejection) = ApplyDefaults(ask, create: true);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            ask = defaulted!;
        }

        if (string.IsNullOrEmpty(ask.AssociationType))
        {
            ask = ask with { AssociationType = Association.Value };
        }
        else if (ask.AssociationType is not (Association.Key or Association.Value))
        {
            return (null, AssociationRejection.Illegal("associationType", $"must be either '{Association.Key}' or '{Association.Value}'"));
        }

        if (ask.Lifecycle == Association.Weak)
        {
            if (ask.HasSchema)
            {
                return (null, AssociationRejection.Illegal("lifecycle", "cannot be WEAK when schema is provided"));
            }

            if (ask.Frozen == true)
            {
                return (null, AssociationRejection.Illegal("frozen", "association with lifecycle of WEAK cannot be frozen"));
            }

            if (create && ask.Subject is null)
            {
                return (null, AssociationRejection.Illegal("subject", "must be provided for WEAK associations"));
            }
        }

        if (create)
        {
            var defaultSubject = Association.DefaultSubject(resourceNamespace, resourceName, ask.AssociationType!);
            ask = ask with { Subject = ask.Subject ?? defaultSubject };
            if (ask.Frozen == true && ask.Subject != defaultSubject)
            {
                return (null, AssociationRejection.Illegal("subject", $"frozen associations must use subject '{defaultSubject}'"));
            }

            if (ask.Lifecycle == Association.Weak && ask.Subject == defaultSubject)
            {
                return (null, AssociationRejection.Illegal("subject", $"WEAK associations cannot use subject '{defaultSubject}'"));
            }
        }

        return (ask, null);
    }

    /// <summary>The resource's names (letters, digits, <c>_</c>, <c>-</c>), its id (unless a dry run) and type (<c>topic</c>).</summary>
    private static AssociationRejection? ValidateResource(ResourceAsk request, bool dryRun)
    {
        if ((CheckName(request.ResourceName, "resourceName") ?? CheckName(request.ResourceNamespace, "resourceNamespace")) is { } badName)
        {
            return badName;
        }

        if (!dryRun && string.IsNullOrEmpty(request.ResourceId))
        {
            return AssociationRejection.Illegal("resourceId", "cannot be null or empty");
        }

        return !string.IsNullOrEmpty(request.ResourceType) && request.ResourceType != Association.Topic
            ? AssociationRejection.Illegal("resourceType", $"must be '{Association.Topic}'")
            : null;
    }

    private static AssociationRejection? CheckName(string? name, string property)
    {
        if (string.IsNullOrEmpty(name))
        {
            return AssociationRejection.Illegal(property, "cannot be null or empty");
        }

        if (name.Length > NameMaxLength)
        {
            return AssociationRejection.Illegal(property, $"exceeds max length of {NameMaxLength}");
        }

        return name.FirstOrDefault(c => !(char.IsLetterOrDigit(c) || c is '_' or '-')) is var bad and not '\0'
            ? AssociationRejection.Illegal(property, $"illegal character '{bad}'")
            : null;
    }
}
