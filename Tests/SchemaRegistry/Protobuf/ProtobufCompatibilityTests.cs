using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Protobuf;

namespace Tributary.Tests.SchemaRegistry.Protobuf;

/// <summary>Every pair of <see cref="ProtobufCompatibilityPairs"/> under every level, references, recursion and Confluent's messages.</summary>
public sealed class ProtobufCompatibilityTests
{
    private static readonly ProtobufFormat Format = new();

    public static TheoryData<ProtobufCompatibilityPairs.Pair> Pairs => new(ProtobufCompatibilityPairs.All);

    private static ParsedSchema Parse(string schema, params ResolvedReference[] references) => Format.Parse(schema, references, normalize: false);

    private static IReadOnlyList<string> Check(CompatibilityLevel level, string candidate, params string[] history) =>
        CompatibilityChecker.Check(Format, level, Parse(candidate), history.Select(h => Parse(h)).ToList());

    private static bool Compatible(CompatibilityLevel level, string candidate, params string[] history) => Check(level, candidate, history).Count == 0;

    [Fact]
    public void ThereAreAtLeastSixtyPairs() => Assert.True(ProtobufCompatibilityPairs.All.Length >= 60);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EachPair_GetsItsVerdictUnderEveryLevel(ProtobufCompatibilityPairs.Pair pair) =>
        LevelVerdicts.AssertEveryLevel(Format, s => Parse(s), pair.Old, pair.New, pair.Backward, pair.Forward);

    [Fact]
    public void TransitiveLevels_CheckEveryVersion_PlainLevelsOnlyTheLatest()
    {
        // v2 drops field 2, v3 brings number 2 back as a string: fine after v2, not after v1's int32.
        const string v1 = "syntax = \"proto3\"; message M { int32 a = 1; int32 b = 2; }";
        const string v2 = "syntax = \"proto3\"; message M { int32 a = 1; }";
        const string v3 = "syntax = \"proto3\"; message M { int32 a = 1; string c = 2; }";

        Assert.True(Compatible(CompatibilityLevel.Backward, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.BackwardTransitive, v3, v1, v2));
        Assert.True(Compatible(CompatibilityLevel.Full, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.FullTransitive, v3, v1, v2));
    }

    [Fact]
    public void Incompatibilities_AreReportedAsConfluentWordsThem_WithTheirTypeAndPath()
    {
        const string old = "syntax = \"proto3\";\npackage p;\nmessage M { string f1 = 1; string f2 = 2; message N { int32 x = 1; } }\nmessage Gone { int32 y = 1; }";
        const string candidate = "syntax = \"proto3\";\npackage p;\nmessage M { string f1 = 1; int32 f2 = 2; message N { double x = 1; } }";

        var backward = Check(CompatibilityLevel.Backward, candidate, old);

        Assert.Equal(
            [
                "{errorType:\"FIELD_SCALAR_KIND_CHANGED\", description:\"The kind of a SCALAR field at path '#/M/2' in the new schema does not match its kind in the old schema\"}",
                "{errorType:\"FIELD_SCALAR_KIND_CHANGED\", description:\"The kind of a SCALAR field at path '#/M/N/1' in the new schema does not match its kind in the old schema\"}",
                "{errorType:\"MESSAGE_REMOVED\", description:\"The new schema is missing a MESSAGE type at path '#/Gone' in the old schema\"}",
            ],
            backward);

        // Forward, the old schema reads the new: the message the new one dropped is no loss, the kinds still are.
        var forward = Check(CompatibilityLevel.Forward, candidate, old);
        Assert.Equal(2, forward.Count);
        Assert.All(forward, m => Assert.Contains("in the old schema does not match its kind in the new schema", m, StringComparison.Ordinal));
    }

    [Fact]
    public void RequiredAndOneofChanges_AreWordedAsConfluentDoes()
    {
        var required = Check(CompatibilityLevel.Backward,
            "syntax = \"proto2\"; message M { optional int32 a = 1; required int32 b = 2; }",
            "syntax = \"proto2\"; message M { optional int32 a = 1; }");
        Assert.Equal(["{errorType:\"REQUIRED_FIELD_ADDED\", description:\"A required field  at path '#/M/2' in the new schema is missing in the old schema\"}"], required);

        var moved = Check(CompatibilityLevel.Backward,
            "syntax = \"proto3\"; message M { oneof o { int32 a = 1; string b = 2; } }",
            "syntax = \"proto3\"; message M { int32 a = 1; string b = 2; }");
        Assert.Equal(["{errorType:\"MULTIPLE_FIELDS_MOVED_TO_ONEOF\", description:\"Multiple fields in the oneof at path '#/M/o' in the new schema are outside a oneof in the old schema\"}"], moved);

        var removed = Check(CompatibilityLevel.Backward,
            "syntax = \"proto3\"; message M { oneof o { int32 a = 1; } }",
            "syntax = \"proto3\"; message M { oneof o { int32 a = 1; string b = 2; } }");
        Assert.Equal(["{errorType:\"ONEOF_FIELD_REMOVED\", description:\"The new schema is missing a oneof field at path '#/M/o/2' in the old schema\"}"], removed);
    }

    [Fact]
    public void ATypeFromAnotherSubject_IsComparedInFull_WhenItsVersionChanges()
    {
        const string shared1 = "syntax = \"proto3\";\npackage shared;\nmessage Address { string street = 1; }";
        const string shared2 = "syntax = \"proto3\";\npackage shared;\nmessage Address { int64 street = 1; }";
        const string user = "syntax = \"proto3\";\npackage app;\nimport \"shared/address.proto\";\nmessage User { shared.Address home = 1; }";
        var old = (ProtobufParsedSchema)Parse(user, new ResolvedReference("shared/address.proto", "shared/address.proto", 1, shared1, []));
        var sameVersion = (ProtobufParsedSchema)Parse(user, new ResolvedReference("shared/address.proto", "shared/address.proto", 1, shared1, []));
        var newVersion = (ProtobufParsedSchema)Parse(user, new ResolvedReference("shared/address.proto", "shared/address.proto", 2, shared2, []));

        Assert.Empty(ProtobufSchemaDiff.Compare(old, sameVersion));
        Assert.Equal(["FIELD_SCALAR_KIND_CHANGED #/Address/1", "FIELD_NAMED_TYPE_CHANGED #/User/1"], ProtobufSchemaDiff.Compare(old, newVersion).Select(d => d.ToString()));
        Assert.Equal(2, Format.CheckCanRead(newVersion, old, "new", "old").Count);
    }

    [Fact]
    public void RecursiveTypesFromImports_AreComparedWithoutEndlessDescent()
    {
        // google.protobuf.Struct and Value name each other; every field below compares them from scratch.
        var fields = string.Join(" ", Enumerable.Range(1, 200).Select(i => $"google.protobuf.Struct s{i} = {i};"));
        var schema = $"syntax = \"proto3\";\nimport \"google/protobuf/struct.proto\";\nmessage M {{ {fields} }}";

        Assert.True(Compatible(CompatibilityLevel.FullTransitive, schema, schema, schema));
    }

    [Fact]
    public void ADifferentSchemaType_IsIncompatible() =>
        Assert.Equal(["Incompatible because of different schema type"],
            Format.CheckCanRead(Parse("syntax = \"proto3\"; message M {}"), new Grains.SchemaRegistry.Avro.AvroFormat().Parse("\"string\"", [], false)));
}
