using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry.Subjects;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// A subject's own config and mode, as stored. Its versions are stored apart, in chunks (<see cref="SubjectVersionLog"/>),
/// so that a registration writes one chunk, not the whole subject. Brokers before the chunks kept every version here
/// (<see cref="Versions"/>); a subject stored that way is moved into chunks when first activated.
/// </summary>
[GenerateSerializer, Alias("Tributary.Grains.SubjectState")]
public sealed class SubjectState
{
    /// <summary>Every version, as brokers before the chunked layout stored them; empty once moved.</summary>
    [Id(0)]
    public List<StoredVersion> Versions { get; set; } = [];

    /// <summary>Unused since the chunked layout (the highest stored version is the numbering's base); kept for old records.</summary>
    [Id(1)]
    public int MaxVersion { get; set; }

    [Id(2)]
    public string? Compatibility { get; set; }

    [Id(3)]
    public bool? Normalize { get; set; }

    [Id(4)]
    public string? Mode { get; set; }

    /// <summary>The subject's own data-contract defaults and overrides; unset means the registry's.</summary>
    [Id(5)]
    public SchemaMetadata? DefaultMetadata { get; set; }

    [Id(6)]
    public SchemaMetadata? OverrideMetadata { get; set; }

    [Id(7)]
    public SchemaRuleSet? DefaultRuleSet { get; set; }

    [Id(8)]
    public SchemaRuleSet? OverrideRuleSet { get; set; }
}

/// <summary>Up to <see cref="SubjectVersionLog.ChunkSize"/> consecutive version numbers of one subject, as stored.</summary>
[GenerateSerializer, Alias("Tributary.Grains.SubjectVersionChunk")]
public sealed class SubjectVersionChunk
{
    [Id(0)]
    public List<StoredVersion> Versions { get; set; } = [];
}

[GenerateSerializer, Alias("Tributary.Grains.StoredVersion")]
public sealed class StoredVersion : ISubjectVersion
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
