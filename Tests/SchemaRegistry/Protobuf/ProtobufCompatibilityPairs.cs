namespace Tributary.Tests.SchemaRegistry.Protobuf;

/// <summary>
/// Writer/reader pairs of Protobuf schemas: an old schema, a new one, and whether the change is BACKWARD compatible
/// (the new schema reads data written with the old) and FORWARD compatible (the old reads the new); FULL is both.
/// The expectations follow Confluent's Protobuf rules: fields are matched by number, so adding, removing and renaming
/// fields is safe; a scalar may change only to another that shares its wire encoding (int32/int64/uint32/uint64/bool
/// and enums; sint32/sint64; string/bytes; fixed32/sfixed32; fixed64/sfixed64); a field may not change between a
/// scalar, a message and a map, nor name another message; the package may not change; a message may be added but
/// not removed; required fields may be neither; several fields that were apart may not end in one oneof.
/// </summary>
public static class ProtobufCompatibilityPairs
{
    public sealed record Pair(string Name, string Old, string New, bool Backward, bool Forward)
    {
        public override string ToString() => Name;
    }

    /// <summary>A proto3 file in package <c>t</c>.</summary>
    private static string P3(string body) => $"syntax = \"proto3\";\npackage t;\n{body}\n";

    /// <summary>A proto2 file in package <c>t</c>.</summary>
    private static string P2(string body) => $"syntax = \"proto2\";\npackage t;\n{body}\n";

    /// <summary>Message <c>M</c> with the given fields, in a proto3 file.</summary>
    private static string M(string fields, string extra = "") => P3($"message M {{ {fields} }}\n{extra}");

    private const string Enums = "enum E { E0 = 0; E1 = 1; } enum F { F0 = 0; }";
    private const string AB = "message A { int32 x = 1; } message B { int32 x = 1; }";

    public static readonly Pair[] All =
    [
        // Sameness, layout and what is not compared.
        new("same schema", M("int32 a = 1;"), M("int32 a = 1;"), true, true),
        new("layout and comments", M("int32 a = 1;"), "// c\nsyntax = \"proto3\";\n\npackage t;\n/* b */ message M {\n  int32 a = 1; // x\n}\n", true, true),
        new("json_name option changed", M("int32 a = 1;"), M("int32 a = 1 [json_name = \"other\"];"), true, true),
        new("deprecated option added", M("int32 a = 1;"), M("int32 a = 1 [deprecated = true];"), true, true),
        new("file option changed", M("int32 a = 1;"), P3("option java_package = \"x.y\";\nmessage M { int32 a = 1; }"), true, true),
        new("service added", M("int32 a = 1;"), M("int32 a = 1;", "service S { rpc Call (M) returns (M); }"), true, true),
        new("reserved added for a removed field", M("int32 a = 1; int32 b = 2;"), M("int32 a = 1; reserved 2; reserved \"b\";"), true, true),
        new("type written in full or relative", M("A f = 1;", "message A { int32 x = 1; }"), M(".t.A f = 1;", "message A { int32 x = 1; }"), true, true),

        // Fields added, removed, renamed.
        new("field added", M("int32 a = 1;"), M("int32 a = 1; string b = 2;"), true, true),
        new("field removed", M("int32 a = 1; string b = 2;"), M("int32 a = 1;"), true, true),
        new("field renamed", M("int32 a = 1;"), M("int32 renamed = 1;"), true, true),
        new("field number changed", M("int32 a = 1;"), M("int32 a = 2;"), true, true),

        // Scalars: the groups that share a wire encoding.
        new("int32 to int64", M("int32 a = 1;"), M("int64 a = 1;"), true, true),
        new("int32 to uint32", M("int32 a = 1;"), M("uint32 a = 1;"), true, true),
        new("int32 to bool", M("int32 a = 1;"), M("bool a = 1;"), true, true),
        new("uint64 to int32", M("uint64 a = 1;"), M("int32 a = 1;"), true, true),
        new("int32 to sint32", M("int32 a = 1;"), M("sint32 a = 1;"), false, false),
        new("sint32 to sint64", M("sint32 a = 1;"), M("sint64 a = 1;"), true, true),
        new("string to bytes", M("string a = 1;"), M("bytes a = 1;"), true, true),
        new("string to int32", M("string a = 1;"), M("int32 a = 1;"), false, false),
        new("fixed32 to sfixed32", M("fixed32 a = 1;"), M("sfixed32 a = 1;"), true, true),
        new("fixed64 to sfixed64", M("fixed64 a = 1;"), M("sfixed64 a = 1;"), true, true),
        new("fixed32 to fixed64", M("fixed32 a = 1;"), M("fixed64 a = 1;"), false, false),
        new("float to double", M("float a = 1;"), M("double a = 1;"), false, false),
        new("double to int64", M("double a = 1;"), M("int64 a = 1;"), false, false),
        new("int32 to enum", M("int32 a = 1;", Enums), M("E a = 1;", Enums), true, true),
        new("enum to another enum", M("E a = 1;", Enums), M("F a = 1;", Enums), true, true),
        new("enum to sint32", M("E a = 1;", Enums), M("sint32 a = 1;", Enums), false, false),

        // Kinds: scalar, message, map.
        new("scalar to message", M("int32 a = 1;", AB), M("A a = 1;", AB), false, false),
        new("enum to message", M("E a = 1;", Enums + AB), M("A a = 1;", Enums + AB), false, false),
        new("message to map", M("A a = 1;", AB), M("map<string, A> a = 1;", AB), false, false),
        new("map value int32 to int64", M("map<string, int32> a = 1;"), M("map<string, int64> a = 1;"), true, true),
        new("map value int32 to string", M("map<string, int32> a = 1;"), M("map<string, string> a = 1;"), false, false),
        new("map key string to int32", M("map<string, int32> a = 1;"), M("map<int32, int32> a = 1;"), false, false),
        new("map value message renamed", M("map<string, A> a = 1;", AB), M("map<string, B> a = 1;", AB), false, false),
        new("field names another message", M("A a = 1;", AB), M("B a = 1;", AB), false, false),
        new("int32 to Int32Value", P3("import \"google/protobuf/wrappers.proto\";\nmessage M { int32 a = 1; }"),
            P3("import \"google/protobuf/wrappers.proto\";\nmessage M { google.protobuf.Int32Value a = 1; }"), false, false),
        new("Int32Value to Int64Value", P3("import \"google/protobuf/wrappers.proto\";\nmessage M { google.protobuf.Int32Value a = 1; }"),
            P3("import \"google/protobuf/wrappers.proto\";\nmessage M { google.protobuf.Int64Value a = 1; }"), false, false),
        new("Timestamp kept", P3("import \"google/protobuf/timestamp.proto\";\nmessage M { google.protobuf.Timestamp a = 1; }"),
            P3("import \"google/protobuf/timestamp.proto\";\nmessage M { google.protobuf.Timestamp a = 1; string b = 2; }"), true, true),

        // Messages and the package.
        new("message added", M("int32 a = 1;"), M("int32 a = 1;", "message N { int32 b = 1; }"), true, false),
        new("message removed", M("int32 a = 1;", "message N { int32 b = 1; }"), M("int32 a = 1;"), false, true),
        new("messages reordered", P3("message A { int32 a = 1; }\nmessage B { int32 b = 1; }"), P3("message B { int32 b = 1; }\nmessage A { int32 a = 1; }"), true, true),
        new("nested message added", M("int32 a = 1;"), M("int32 a = 1; message N { int32 b = 1; }"), true, false),
        new("nested message's field changed kind", M("N n = 1; message N { int32 b = 1; }"), M("N n = 1; message N { string b = 1; }"), false, false),
        new("message moved into another", P3("message A { int32 x = 1; }\nmessage M { A a = 1; }"), P3("message M { A a = 1; message A { int32 x = 1; } }"), false, false),
        new("package changed", M("int32 a = 1;"), "syntax = \"proto3\";\npackage u;\nmessage M { int32 a = 1; }\n", false, false),
        new("package added", "syntax = \"proto3\";\nmessage M { int32 a = 1; }\n", M("int32 a = 1;"), false, false),
        new("recursive message's field changed", M("int32 v = 1; repeated M children = 2;"), M("string v = 1; repeated M children = 2;"), false, false),

        // Enums never break compatibility.
        new("enum added", M("int32 a = 1;"), M("int32 a = 1;", "enum E { E0 = 0; }"), true, true),
        new("enum removed", M("int32 a = 1;", "enum E { E0 = 0; }"), M("int32 a = 1;"), true, true),
        new("enum constant added", M("E a = 1;", "enum E { E0 = 0; }"), M("E a = 1;", "enum E { E0 = 0; E1 = 1; }"), true, true),
        new("enum constant removed", M("E a = 1;", "enum E { E0 = 0; E1 = 1; }"), M("E a = 1;", "enum E { E0 = 0; }"), true, true),
        new("enum constant renamed", M("E a = 1;", "enum E { E0 = 0; E1 = 1; }"), M("E a = 1;", "enum E { E0 = 0; ONE = 1; }"), true, true),

        // Labels: compared only where both sides write one.
        new("proto3 optional to repeated", M("optional int32 a = 1;"), M("repeated int32 a = 1;"), false, false),
        new("proto3 implicit to repeated", M("int32 a = 1;"), M("repeated int32 a = 1;"), true, true),
        new("proto3 implicit to optional", M("int32 a = 1;"), M("optional int32 a = 1;"), true, true),
        new("optional string to repeated", M("optional string a = 1;"), M("repeated string a = 1;"), true, true),
        new("proto2 required to optional", P2("message M { required int32 a = 1; }"), P2("message M { optional int32 a = 1; }"), false, false),
        new("proto2 optional bytes to repeated", P2("message M { optional bytes a = 1; }"), P2("message M { repeated bytes a = 1; }"), true, true),
        new("proto2 required field added", P2("message M { optional int32 a = 1; }"), P2("message M { optional int32 a = 1; required int32 b = 2; }"), false, false),
        new("proto2 required field removed", P2("message M { optional int32 a = 1; required int32 b = 2; }"), P2("message M { optional int32 a = 1; }"), false, false),
        new("proto2 optional field added", P2("message M { optional int32 a = 1; }"), P2("message M { optional int32 a = 1; optional string b = 2; }"), true, true),
        new("proto2 to proto3 with the same fields", P2("message M { optional int32 a = 1; }"), M("int32 a = 1;"), true, true),

        // Oneofs.
        new("oneof added with a new field", M("int32 a = 1;"), M("int32 a = 1; oneof o { string b = 2; }"), true, true),
        new("field added to a oneof", M("oneof o { int32 a = 1; }"), M("oneof o { int32 a = 1; string b = 2; }"), true, false),
        new("field removed from a oneof", M("oneof o { int32 a = 1; string b = 2; }"), M("oneof o { int32 a = 1; }"), false, true),
        new("oneof renamed", M("oneof o { int32 a = 1; string b = 2; }"), M("oneof p { int32 a = 1; string b = 2; }"), true, true),
        new("oneof renamed and a member changed kind", M("oneof o { int32 a = 1; string b = 2; }"), M("oneof p { int32 a = 1; double b = 2; }"), false, false),
        new("whole oneof removed", M("int32 a = 1; oneof o { string b = 2; bytes c = 3; }"), M("int32 a = 1;"), true, true),
        new("one field moved into a new oneof", M("int32 a = 1; string b = 2;"), M("int32 a = 1; oneof o { string b = 2; }"), true, true),
        new("two fields moved into a new oneof", M("int32 a = 1; string b = 2;"), M("oneof o { int32 a = 1; string b = 2; }"), false, true),
        new("field moved into an existing oneof", M("int32 a = 1; oneof o { string b = 2; }"), M("oneof o { int32 a = 1; string b = 2; }"), false, true),
    ];
}
