using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Protobuf;

namespace Tributary.Tests.SchemaRegistry.Protobuf;

/// <summary>
/// Schemas built to exhaust the parser, the printer or the comparison: each is refused (or compared) within bounds,
/// never with a stack overflow, which would end the whole process.
/// </summary>
public sealed class ProtobufHostileInputTests
{
    private static readonly ProtobufFormat Format = new();

    [Fact]
    public void UnmatchedClosingBraces_DoNotBuyDeeperNesting()
    {
        const int depth = 3_000;
        var schema = "syntax = \"proto3\";\n" + new string('}', depth) + string.Concat(Enumerable.Repeat("message M {", depth)) + new string('}', depth);

        Assert.Throws<InvalidSchemaException>(() => Format.Parse(schema, [], normalize: false));
    }

    [Fact]
    public void ADeeplyNestedSerializedDescriptor_IsRefusedBeforeItIsDeserialized()
    {
        var message = new byte[] { 0x0A, 0x01, (byte)'M' };
        for (var i = 0; i < 3_000; i++)
        {
            message = [0x0A, 0x01, (byte)'M', .. Field(3, message)];
        }

        var schema = Convert.ToBase64String([.. Field(1, "default"u8.ToArray()), .. Field(4, message)]);

        var refused = Assert.Throws<InvalidSchemaException>(() => Format.Parse(schema, [], normalize: false));
        Assert.Contains("nest deeper", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACustomOptionWhoseValueNestsDeeply_IsRefused()
    {
        const string declaring = """
            syntax = "proto2";
            package p;
            import "google/protobuf/descriptor.proto";
            message M { optional M m = 1; }
            extend google.protobuf.FileOptions { optional M deep = 50000; }
            """;
        var file = ProtobufFormat.Serialized(declaring, []);
        var value = Array.Empty<byte>();
        for (var i = 0; i < 5_000; i++)
        {
            value = Field(1, value);
        }

        // The file's options (field 8) carry the extension (50000) holding the nested value.
        var schema = Convert.ToBase64String([.. Convert.FromBase64String(file), .. Field(8, Field(50000, value))]);

        Assert.Throws<InvalidSchemaException>(() => Format.Parse(schema, [], normalize: false));
    }

    [Fact]
    public void ALongChainOfImportedTypes_IsComparedWithinBounds()
    {
        static string Chain(string last) => "syntax = \"proto3\";\npackage chain;\n"
            + string.Concat(Enumerable.Range(0, 1_000).Select(i => $"message M{i} {{ M{i + 1} next = 1; }}\n")) + $"message M1000 {{ {last} x = 1; }}\n";
        const string user = "syntax = \"proto3\";\nimport \"chain.proto\";\nmessage User { chain.M0 head = 1; }";
        var old = (ProtobufParsedSchema)Format.Parse(user, [new ResolvedReference("chain.proto", "chain", 1, Chain("int32"), [])], false);
        var changed = (ProtobufParsedSchema)Format.Parse(user, [new ResolvedReference("chain.proto", "chain", 2, Chain("string"), [])], false);

        var differences = ProtobufSchemaDiff.Compare(old, changed);

        Assert.Contains(differences, d => d.ToString() == "FIELD_NAMED_TYPE_CHANGED #/User/1");
    }

    [Fact]
    public void ManyCompatibleChanges_DoNotHideAnIncompatibleOne()
    {
        var fields = string.Concat(Enumerable.Range(1, 1_500).Select(i => $"int32 f{i} = {i};"));
        var old = $"syntax = \"proto3\"; message M {{ int32 x = 2000; }}";
        var candidate = $"syntax = \"proto3\"; message M {{ {fields} string x = 2000; }}";

        var messages = Format.CheckCanRead(Format.Parse(candidate, [], false), Format.Parse(old, [], false), "new", "old");

        Assert.Contains(messages, m => m.Contains("FIELD_SCALAR_KIND_CHANGED", StringComparison.Ordinal));
    }

    [Fact]
    public void Normalizing_KeepsTheOrderOfMessages_WhichMessageIndexesNameThem()
    {
        var normalized = Format.Parse("syntax = \"proto3\"; message Zebra { int32 b = 2; int32 a = 1; } message Apple { int32 a = 1; }", [], normalize: true).Text;

        Assert.True(normalized.IndexOf("message Zebra", StringComparison.Ordinal) < normalized.IndexOf("message Apple", StringComparison.Ordinal));
        Assert.True(normalized.IndexOf("int32 a = 1", StringComparison.Ordinal) < normalized.IndexOf("int32 b = 2", StringComparison.Ordinal));
    }

    [Fact]
    public void RepeatedAndFloatingPointOptions_PrintAsTextThatParsesAgain()
    {
        const string schema = """
            syntax = "proto2";
            package opts;
            import "google/protobuf/descriptor.proto";
            extend google.protobuf.FieldOptions { optional double big = 50001; optional float tiny = 50002; }
            message M { optional int32 a = 1 [(big) = 1e300, (tiny) = 1.5e-30, targets = TARGET_TYPE_FIELD, targets = TARGET_TYPE_FILE]; }
            """;

        var text = Format.Parse(ProtobufFormat.Serialized(schema, []), [], normalize: false).Text;

        Assert.Equal(Format.Parse(schema, [], false).Identity, Format.Parse(text, [], false).Identity);
    }

    /// <summary>A length-delimited field.</summary>
    private static byte[] Field(int number, byte[] value)
    {
        var bytes = new List<byte>();
        Varint(bytes, ((ulong)number << 3) | 2);
        Varint(bytes, (ulong)value.Length);
        bytes.AddRange(value);
        return [.. bytes];
    }

    private static void Varint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
