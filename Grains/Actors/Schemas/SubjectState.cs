using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>A subject's versions (soft-deleted ones included until permanently deleted), config and mode, as stored.</summary>
[GenerateSerializer, Alias("Tributary.Grains.SubjectState")]
public sealed class SubjectState
{
    [Id(0)]
    public List<StoredVersion> Versions { get; set; } = [];

    /// <summary>The highest version number in use: numbering continues past soft-deleted versions, not permanently deleted ones.</summary>
    [Id(1)]
    public int MaxVersion { get; set; }

    [Id(2)]
    public string? Compatibility { get; set; }

    [Id(3)]
    public bool? Normalize { get; set; }

    [Id(4)]
    public string? Mode { get; set; }
}

[GenerateSerializer, Alias("Tributary.Grains.StoredVersion")]
public sealed class StoredVersion
{
    [Id(0)]
    public int Version { get; set; }

    [Id(1)]
    public int Id { get; set; }

    [Id(2)]
    public SchemaDefinition Definition { get; set; } = null!;

    /// <summary>The format's identity of the schema, to recognise a registration of the same schema again.</summary>
    [Id(3)]
    public string Identity { get; set; } = "";

    [Id(4)]
    public bool Deleted { get; set; }

    /// <summary>Ids of schemas that reference this version.</summary>
    [Id(5)]
    public List<int> ReferencedBy { get; set; } = [];
}
