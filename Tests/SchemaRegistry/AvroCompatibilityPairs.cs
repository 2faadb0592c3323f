namespace Tributary.Tests.SchemaRegistry;

/// <summary>
/// Writer/reader pairs: an old schema, a new one, and whether the change is BACKWARD compatible (the new schema reads
/// data written with the old) and FORWARD compatible (the old reads the new); FULL is both. The expectations follow the
/// Avro specification's resolution rules and the change table in Confluent's documentation.
/// </summary>
public static class AvroCompatibilityPairs
{
    public sealed record Pair(string Name, string Old, string New, bool Backward, bool Forward)
    {
        public override string ToString() => Name;
    }

    private static string Record(string name, params string[] fields) =>
        $$"""{"type":"record","name":"{{name}}","fields":[{{string.Join(",", fields)}}]}""";

    private static string R(params string[] fields) => Record("R", fields);

    private static string F(string name, string type, string? extra = null) =>
        $$"""{"name":"{{name}}","type":{{type}}{{(extra is null ? "" : "," + extra)}}}""";

    private static string Enum(string name, string symbols, string? @default = null) =>
        $$"""{"type":"enum","name":"{{name}}","symbols":[{{symbols}}]{{(@default is null ? "" : $",\"default\":\"{@default}\"")}}}""";

    private static string Fixed(string name, int size) => $$"""{"type":"fixed","name":"{{name}}","size":{{size}}}""";

    private static string Array(string items) => $$"""{"type":"array","items":{{items}}}""";

    private static string Map(string values) => $$"""{"type":"map","values":{{values}}}""";

    private static string Node(string valueType, params string[] extra) =>
        Record("Node", [F("value", valueType), F("next", """["null","Node"]""", "\"default\":null"), .. extra]);

    public static readonly Pair[] All =
    [
        // Primitives and promotions.
        new("int to int", "\"int\"", "\"int\"", true, true),
        new("int widened to long", "\"int\"", "\"long\"", true, false),
        new("long narrowed to int", "\"long\"", "\"int\"", false, true),
        new("int widened to float", "\"int\"", "\"float\"", true, false),
        new("int widened to double", "\"int\"", "\"double\"", true, false),
        new("long widened to float", "\"long\"", "\"float\"", true, false),
        new("long widened to double", "\"long\"", "\"double\"", true, false),
        new("float widened to double", "\"float\"", "\"double\"", true, false),
        new("double narrowed to float", "\"double\"", "\"float\"", false, true),
        new("string to bytes", "\"string\"", "\"bytes\"", true, true),
        new("bytes to string", "\"bytes\"", "\"string\"", true, true),
        new("int to string", "\"int\"", "\"string\"", false, false),
        new("boolean to int", "\"boolean\"", "\"int\"", false, false),
        new("null to null", "\"null\"", "\"null\"", true, true),
        new("string to string", "\"string\"", "\"string\"", true, true),

        // Record fields.
        new("field added with a default", R(F("a", "\"int\"")), R(F("a", "\"int\""), F("b", "\"int\"", "\"default\":0")), true, true),
        new("field added without a default", R(F("a", "\"int\"")), R(F("a", "\"int\""), F("b", "\"int\"")), false, true),
        new("field with a default removed", R(F("a", "\"int\""), F("b", "\"int\"", "\"default\":0")), R(F("a", "\"int\"")), true, true),
        new("field without a default removed", R(F("a", "\"int\""), F("b", "\"int\"")), R(F("a", "\"int\"")), true, false),
        new("field renamed without an alias", R(F("a", "\"int\"")), R(F("c", "\"int\"")), false, false),
        new("field renamed with an alias", R(F("a", "\"int\"")), R(F("c", "\"int\"", "\"aliases\":[\"a\"]")), true, false),
        new("field renamed with an alias and defaults", R(F("a", "\"int\"", "\"default\":1")), R(F("c", "\"int\"", "\"aliases\":[\"a\"],\"default\":1")), true, true),
        new("field widened from int to long", R(F("a", "\"int\"")), R(F("a", "\"long\"")), true, false),
        new("field narrowed from long to int", R(F("a", "\"long\"")), R(F("a", "\"int\"")), false, true),
        new("field made optional", R(F("a", "\"int\"")), R(F("a", """["null","int"]""", "\"default\":null")), true, false),
        new("optional field made required", R(F("a", """["null","int"]""", "\"default\":null")), R(F("a", "\"int\"")), false, true),
        new("fields reordered", R(F("a", "\"int\""), F("b", "\"string\"")), R(F("b", "\"string\""), F("a", "\"int\"")), true, true),
        new("doc changed", R(F("a", "\"int\"", "\"doc\":\"old\"")), R(F("a", "\"int\"", "\"doc\":\"new\"")), true, true),
        new("record renamed without an alias", Record("R", F("a", "\"int\"")), Record("S", F("a", "\"int\"")), false, false),
        new("record renamed with an alias", Record("R", F("a", "\"int\"")), """{"type":"record","name":"S","aliases":["R"],"fields":[{"name":"a","type":"int"}]}""", true, false),
        new("namespace changed only", """{"type":"record","name":"R","namespace":"a","fields":[{"name":"x","type":"int"}]}""", """{"type":"record","name":"R","namespace":"b","fields":[{"name":"x","type":"int"}]}""", true, true),
        new("optional field added with a null default", R(F("a", "\"int\"")), R(F("a", "\"int\""), F("b", """["null","string"]""", "\"default\":null")), true, true),
        new("nested record gains a field with a default", R(F("n", Record("N", F("x", "\"int\"")))), R(F("n", Record("N", F("x", "\"int\""), F("y", "\"int\"", "\"default\":0")))), true, true),
        new("nested record gains a field without a default", R(F("n", Record("N", F("x", "\"int\"")))), R(F("n", Record("N", F("x", "\"int\""), F("y", "\"int\"")))), false, true),
        new("field default changed", R(F("a", "\"int\"", "\"default\":1")), R(F("a", "\"int\"", "\"default\":2")), true, true),
        new("field type changed from string to record", R(F("a", "\"string\"")), R(F("a", Record("A", F("x", "\"int\"")))), false, false),

        // Enums.
        new("enum symbol added", Enum("E", "\"A\",\"B\""), Enum("E", "\"A\",\"B\",\"C\""), true, false),
        new("enum symbol added, both with a default", Enum("E", "\"A\",\"B\"", "A"), Enum("E", "\"A\",\"B\",\"C\"", "A"), true, true),
        new("enum symbol removed", Enum("E", "\"A\",\"B\",\"C\""), Enum("E", "\"A\",\"B\""), false, true),
        new("enum symbol removed, new enum with a default", Enum("E", "\"A\",\"B\",\"C\""), Enum("E", "\"A\",\"B\"", "A"), true, true),
        new("enum renamed", Enum("E", "\"A\""), Enum("F", "\"A\""), false, false),
        new("enum symbols reordered", Enum("E", "\"A\",\"B\""), Enum("E", "\"B\",\"A\""), true, true),
        new("enum field gains a symbol", R(F("e", Enum("E", "\"A\"")) ), R(F("e", Enum("E", "\"A\",\"B\""))), true, false),

        // Fixed.
        new("fixed unchanged", Fixed("H", 16), Fixed("H", 16), true, true),
        new("fixed size changed", Fixed("H", 16), Fixed("H", 32), false, false),
        new("fixed renamed", Fixed("H", 16), Fixed("G", 16), false, false),
        new("fixed to bytes", Fixed("H", 16), "\"bytes\"", false, false),

        // Arrays and maps.
        new("array items widened", Array("\"int\""), Array("\"long\""), true, false),
        new("array items changed type", Array("\"string\""), Array("\"int\""), false, false),
        new("map values widened", Map("\"int\""), Map("\"long\""), true, false),
        new("map values string to bytes", Map("\"string\""), Map("\"bytes\""), true, true),
        new("array to map", Array("\"int\""), Map("\"int\""), false, false),
        new("array of records gains a field with a default", Array(Record("I", F("x", "\"int\""))), Array(Record("I", F("x", "\"int\""), F("y", "\"string\"", "\"default\":\"\""))), true, true),

        // Unions.
        new("union branch added", """["null","int"]""", """["null","int","string"]""", true, false),
        new("union branch removed", """["null","int","string"]""", """["null","int"]""", false, true),
        new("union branches reordered", """["null","int"]""", """["int","null"]""", true, true),
        new("union branch widened", """["int","string"]""", """["long","string"]""", true, false),
        new("type made a union", "\"string\"", """["null","string"]""", true, false),
        new("union made a single type", """["null","string"]""", "\"string\"", false, true),
        new("union of records gains a record", $"[{Record("A", F("x", "\"int\""))}]", $"[{Record("A", F("x", "\"int\""))},{Record("B", F("y", "\"int\""))}]", true, false),

        // Logical types are read by their underlying type.
        new("date to plain int", """{"type":"int","logicalType":"date"}""", "\"int\"", true, true),
        new("timestamp-millis to timestamp-micros", """{"type":"long","logicalType":"timestamp-millis"}""", """{"type":"long","logicalType":"timestamp-micros"}""", true, true),
        new("date widened to timestamp-millis", """{"type":"int","logicalType":"date"}""", """{"type":"long","logicalType":"timestamp-millis"}""", true, false),

        // Recursive and repeated named types.
        new("recursive list gains a field with a default", Node("\"int\""), Node("\"int\"", F("tag", "\"string\"", "\"default\":\"\"")), true, true),
        new("recursive list value widened", Node("\"int\""), Node("\"long\""), true, false),
        new("record replaced by a primitive", R(F("a", "\"int\"")), "\"int\"", false, false),
        new("named type used twice gains a field with a default",
            R(F("p", Record("P", F("x", "\"int\""))), F("q", "\"P\"")),
            R(F("p", Record("P", F("x", "\"int\""), F("y", "\"int\"", "\"default\":0"))), F("q", "\"P\"")), true, true),
    ];
}
