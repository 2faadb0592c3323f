namespace Tributary.Tests.SchemaRegistry.Json;

/// <summary>
/// Writer/reader pairs of JSON schemas: an old schema, a new one, and whether the change is BACKWARD compatible (the
/// new schema reads data written with the old) and FORWARD compatible (the old reads the new); FULL is both. The
/// expectations follow Confluent's JSON Schema rules: constraints may loosen for the reader, not tighten; a property
/// may join a closed (or partially open, when it fits) content model and leave an open one; types may widen
/// (integer to number, a type to a union holding it, to the empty schema), not narrow.
/// </summary>
public static class JsonCompatibilityPairs
{
    public sealed record Pair(string Name, string Old, string New, bool Backward, bool Forward)
    {
        public override string ToString() => Name;
    }

    private const string Str = """{"type":"string"}""";
    private const string Int = """{"type":"integer"}""";
    private const string Num = """{"type":"number"}""";

    /// <summary>An object with the given properties (JSON members), required names and trailing keywords.</summary>
    private static string Obj(string properties, string? required = null, string? extra = null) =>
        $$"""{"type":"object","properties":{{{properties}}}{{(required is null ? "" : $",\"required\":[{required}]")}}{{(extra is null ? "" : "," + extra)}}}""";

    private static string Closed(string properties, string? required = null) => Obj(properties, required, "\"additionalProperties\":false");

    private static string Arr(string keywords) => $$"""{"type":"array",{{keywords}}}""";

    public static readonly Pair[] All =
    [
        // Identity and annotations.
        new("same object", Obj($"\"a\":{Str}"), Obj($"\"a\":{Str}"), true, true),
        new("title changed", """{"type":"string","title":"A"}""", """{"type":"string","title":"B"}""", true, true),
        new("description changed", """{"type":"string","description":"A"}""", """{"type":"string","description":"B"}""", true, true),
        new("default changed", """{"type":"string","default":"a"}""", """{"type":"string","default":"b"}""", true, true),
        new("$id changed", """{"$id":"http://a/x.json","type":"string"}""", """{"$id":"http://a/y.json","type":"string"}""", true, true),
        new("format added (not compared)", Str, """{"type":"string","format":"email"}""", true, true),
        new("properties reordered", Obj($"\"a\":{Str},\"b\":{Int}"), Obj($"\"b\":{Int},\"a\":{Str}"), true, true),

        // Strings.
        new("maxLength added", Str, """{"type":"string","maxLength":10}""", false, true),
        new("maxLength increased", """{"type":"string","maxLength":10}""", """{"type":"string","maxLength":20}""", true, false),
        new("minLength added", Str, """{"type":"string","minLength":2}""", false, true),
        new("minLength decreased", """{"type":"string","minLength":5}""", """{"type":"string","minLength":2}""", true, false),
        new("pattern added", Str, """{"type":"string","pattern":"^a"}""", false, true),
        new("pattern changed", """{"type":"string","pattern":"^a"}""", """{"type":"string","pattern":"^b"}""", false, false),

        // Numbers.
        new("maximum added", Num, """{"type":"number","maximum":10}""", false, true),
        new("maximum increased", """{"type":"number","maximum":10}""", """{"type":"number","maximum":20}""", true, false),
        new("minimum decreased", """{"type":"integer","minimum":5}""", """{"type":"integer","minimum":0}""", true, false),
        new("minimum increased", """{"type":"integer","minimum":0}""", """{"type":"integer","minimum":5}""", false, true),
        new("exclusiveMaximum added", Num, """{"type":"number","exclusiveMaximum":100}""", false, true),
        new("exclusiveMaximum removed", """{"type":"number","exclusiveMaximum":100}""", Num, true, false),
        new("exclusiveMinimum decreased", """{"type":"number","exclusiveMinimum":5}""", """{"type":"number","exclusiveMinimum":1}""", true, false),
        new("multipleOf expanded 2 to 4", """{"type":"integer","multipleOf":2}""", """{"type":"integer","multipleOf":4}""", false, true),
        new("multipleOf added", Int, """{"type":"integer","multipleOf":3}""", false, true),
        new("multipleOf changed 3 to 5", """{"type":"integer","multipleOf":3}""", """{"type":"integer","multipleOf":5}""", false, false),
        new("integer widened to number", Int, Num, true, false),

        // Types.
        new("string to integer", Str, Int, false, false),
        new("string to boolean", Str, """{"type":"boolean"}""", false, false),
        new("null to string", """{"type":"null"}""", Str, false, false),
        new("object to array", Obj($"\"a\":{Str}"), Arr($"\"items\":{Str}"), false, false),
        new("string to the empty schema", Str, "{}", true, false),
        new("string to true", Str, "true", true, false),
        new("false to string", "false", Str, true, false),
        new("string to a nullable string", Str, """{"type":["string","null"]}""", true, false),
        new("nullable string to string", """{"type":["null","string"]}""", Str, false, true),
        new("union of types extended", """{"type":["string","null"]}""", """{"type":["string","null","integer"]}""", true, false),

        // Enums and consts.
        new("enum extended", """{"type":"string","enum":["a","b"]}""", """{"type":"string","enum":["a","b","c"]}""", true, false),
        new("enum removed from a string", """{"type":"string","enum":["red"]}""", Str, true, false),
        new("enum narrowed", """{"enum":["a","b","c"]}""", """{"enum":["a","b"]}""", false, true),
        new("enum changed", """{"enum":["a","b"]}""", """{"enum":["a","c"]}""", false, false),
        new("const changed", """{"const":"a"}""", """{"const":"b"}""", false, false),

        // Open content model: no additionalProperties.
        new("open: typed property added", Obj($"\"a\":{Str}"), Obj($"\"a\":{Str},\"b\":{Int}"), false, true),
        new("open: property with an empty schema added", Obj($"\"a\":{Str}"), Obj($"\"a\":{Str},\"b\":{{}}"), true, true),
        new("open: property removed", Obj($"\"a\":{Str},\"b\":{Int}"), Obj($"\"a\":{Str}"), true, false),
        new("open: required property removed", Obj($"\"a\":{Str},\"b\":{Int}", "\"b\""), Obj($"\"a\":{Str}"), true, false),

        // Closed content model: additionalProperties false.
        new("closed: optional property added", Closed($"\"a\":{Str}"), Closed($"\"a\":{Str},\"b\":{Int}"), true, false),
        new("closed: required property added", Closed($"\"a\":{Str}"), Closed($"\"a\":{Str},\"b\":{Int}", "\"b\""), false, false),
        new("closed: required property with a default added", Closed($"\"a\":{Str}"), Closed($"\"a\":{Str},\"b\":{{\"type\":\"integer\",\"default\":0}}", "\"b\""), true, false),
        new("closed: property removed", Closed($"\"a\":{Str},\"b\":{Int}"), Closed($"\"a\":{Str}"), false, true),
        new("closed: property of type false removed", Closed($"\"a\":{Str},\"b\":false"), Closed($"\"a\":{Str}"), true, true),

        // Required.
        new("property made required", Obj($"\"a\":{Str}"), Obj($"\"a\":{Str}", "\"a\""), false, true),
        new("property with a default made required", Obj("\"a\":{\"type\":\"string\",\"default\":\"x\"}"), Obj("\"a\":{\"type\":\"string\",\"default\":\"x\"}", "\"a\""), true, true),
        new("property no longer required", Obj($"\"a\":{Str}", "\"a\""), Obj($"\"a\":{Str}"), true, false),

        // additionalProperties and partially open models.
        new("open model closed", Obj($"\"a\":{Str}"), Closed($"\"a\":{Str}"), false, true),
        new("closed model opened", Closed($"\"a\":{Str}"), Obj($"\"a\":{Str}"), true, false),
        new("open model given an additionalProperties schema", Obj($"\"a\":{Str}"), Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Str}"), false, true),
        new("additionalProperties integer widened to number", Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Int}"), Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Num}"), true, false),
        new("additionalProperties string to integer", Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Str}"), Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Int}"), false, false),
        new("partially open: property added that fits additionalProperties", Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Str}"), Obj($"\"a\":{Str},\"b\":{Str}", null, $"\"additionalProperties\":{Str}"), true, true),
        new("partially open: property added that does not fit", Obj($"\"a\":{Str}", null, $"\"additionalProperties\":{Str}"), Obj($"\"a\":{Str},\"b\":{Int}", null, $"\"additionalProperties\":{Str}"), false, false),
        new("partially open: property added that fits a pattern",
            Obj($"\"a\":{Str}", null, $"\"patternProperties\":{{\"^s_\":{Str}}},\"additionalProperties\":false"),
            Obj($"\"a\":{Str},\"s_name\":{Str}", null, $"\"patternProperties\":{{\"^s_\":{Str}}},\"additionalProperties\":false"), true, true),

        // Object limits and dependencies.
        new("maxProperties added", Obj($"\"a\":{Str}"), Obj($"\"a\":{Str}", null, "\"maxProperties\":3"), false, true),
        new("minProperties decreased", Obj($"\"a\":{Str}", null, "\"minProperties\":2"), Obj($"\"a\":{Str}", null, "\"minProperties\":1"), true, false),
        new("dependency array added", Obj($"\"a\":{Str},\"b\":{Str}"), Obj($"\"a\":{Str},\"b\":{Str}", null, "\"dependencies\":{\"a\":[\"b\"]}"), false, true),
        new("dependency array narrowed", Obj($"\"a\":{Str},\"b\":{Str},\"c\":{Str}", null, "\"dependencies\":{\"a\":[\"b\",\"c\"]}"), Obj($"\"a\":{Str},\"b\":{Str},\"c\":{Str}", null, "\"dependencies\":{\"a\":[\"b\"]}"), true, false),
        new("dependency schema removed", Obj($"\"a\":{Str},\"b\":{Str}", null, "\"dependencies\":{\"a\":{\"required\":[\"b\"]}}"), Obj($"\"a\":{Str},\"b\":{Str}"), true, false),

        // Nesting.
        new("nested property type changed", Obj($"\"n\":{Obj($"\"x\":{Str}")}"), Obj($"\"n\":{Obj($"\"x\":{Int}")}"), false, false),
        new("nested maxLength increased", Obj("\"n\":{\"type\":\"string\",\"maxLength\":5}"), Obj("\"n\":{\"type\":\"string\",\"maxLength\":9}"), true, false),
        new("nested property integer to number", Obj($"\"n\":{Int}"), Obj($"\"n\":{Num}"), true, false),

        // Arrays.
        new("items string to integer", Arr($"\"items\":{Str}"), Arr($"\"items\":{Int}"), false, false),
        new("items integer widened to number", Arr($"\"items\":{Int}"), Arr($"\"items\":{Num}"), true, false),
        new("items schema added", """{"type":"array"}""", Arr($"\"items\":{Str}"), false, true),
        new("maxItems added", Arr($"\"items\":{Str}"), Arr($"\"items\":{Str},\"maxItems\":3"), false, true),
        new("minItems decreased", Arr($"\"items\":{Str},\"minItems\":3"), Arr($"\"items\":{Str},\"minItems\":1"), true, false),
        new("uniqueItems added", Arr($"\"items\":{Str}"), Arr($"\"items\":{Str},\"uniqueItems\":true"), false, true),
        new("array items of closed objects gain an optional property", Arr($"\"items\":{Closed($"\"a\":{Str}")}"), Arr($"\"items\":{Closed($"\"a\":{Str},\"b\":{Int}")}"), true, false),
        new("open tuple item added", Arr($"\"items\":[{Str}]"), Arr($"\"items\":[{Str},{Int}]"), false, true),
        new("closed tuple item added", Arr($"\"items\":[{Str}],\"additionalItems\":false"), Arr($"\"items\":[{Str},{Int}],\"additionalItems\":false"), true, false),
        new("additionalItems false added", Arr($"\"items\":[{Str}]"), Arr($"\"items\":[{Str}],\"additionalItems\":false"), false, true),

        // Combinations.
        new("oneOf extended", $"{{\"oneOf\":[{Str},{Int}]}}", $"{{\"oneOf\":[{Str},{Int},{{\"type\":\"boolean\"}}]}}", true, false),
        new("oneOf to anyOf", $"{{\"oneOf\":[{Str},{Int}]}}", $"{{\"anyOf\":[{Str},{Int}]}}", true, false),
        new("allOf narrowed", $"{{\"allOf\":[{Obj($"\"a\":{Str}")},{{\"required\":[\"a\"]}}]}}", $"{{\"allOf\":[{Obj($"\"a\":{Str}")}]}}", true, false),
        new("anyOf choice replaced", $"{{\"anyOf\":[{Str},{Int}]}}", $"{{\"anyOf\":[{Str},{{\"type\":\"boolean\"}}]}}", false, false),
        new("anyOf to one of its choices", $"{{\"anyOf\":[{Str},{Int}]}}", Str, false, true),
        new("singleton oneOf to its choice", $"{{\"oneOf\":[{Str}]}}", Str, true, true),
        new("oneOf of closed objects, one gains an optional property",
            $"{{\"oneOf\":[{Closed($"\"x\":{Str}")},{Closed($"\"y\":{Int}")}]}}",
            $"{{\"oneOf\":[{Closed($"\"x\":{Str},\"z\":{Str}")},{Closed($"\"y\":{Int}")}]}}", true, false),
        new("nullable enum changed", """{"type":["string","null"],"enum":["a","b",null]}""", """{"type":["string","null"],"enum":["a","c",null]}""", false, false),
        new("format added beside an integer type", Int, """{"type":"integer","format":"int64"}""", false, true),
        new("allOf of two types to an anyOf of one", $"{{\"allOf\":[{Num},{Str}]}}", $"{{\"anyOf\":[{Str}]}}", true, false),
        new("self-referencing union", Str, """{"oneOf":[{"$ref":"#"},{"type":"null"}]}""", true, false),
        new("not extended to more types", """{"not":{"type":"string"}}""", """{"not":{"type":["string","integer"]}}""", false, true),

        // References within the document, and recursion.
        new("referenced definition gains maxLength",
            """{"definitions":{"A":{"type":"string"}},"type":"object","properties":{"a":{"$ref":"#/definitions/A"}}}""",
            """{"definitions":{"A":{"type":"string","maxLength":5}},"type":"object","properties":{"a":{"$ref":"#/definitions/A"}}}""", false, true),
        new("same recursive schema",
            """{"type":"object","properties":{"value":{"type":"integer"},"next":{"$ref":"#"}}}""",
            """{"type":"object","properties":{"value":{"type":"integer"},"next":{"$ref":"#"}}}""", true, true),
        new("recursive closed schema gains an optional property",
            """{"type":"object","additionalProperties":false,"properties":{"value":{"type":"integer"},"next":{"$ref":"#"}}}""",
            """{"type":"object","additionalProperties":false,"properties":{"value":{"type":"integer"},"label":{"type":"string"},"next":{"$ref":"#"}}}""", true, false),
    ];
}
