using System.Text.Json;
using Avro;
using Avro.Generic;
using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Protobuf;
using Tributary.Grains.SchemaRegistry.Rules;

namespace Tributary.Tests.SchemaRegistry.Rules;

/// <summary>
/// Data-contract rules as the platform runs them on write and on read, with Confluent's serializers' and deserializers'
/// semantics: which rules run, in which order, their verdicts and messages, guards, failure actions, field rules, and
/// records as CEL sees them.
/// </summary>
public sealed class CelConditionsTests
{
    private readonly CelConditions _conditions = new();

    private static ConditionRule Rule(
        string? expr, string type = "CEL", string mode = "WRITE", string kind = "CONDITION", string? doc = null, string? onFailure = null,
        string? onSuccess = null, bool disabled = false, string[]? tags = null, Dictionary<string, string>? parameters = null, bool encoding = false) =>
        new("check", doc, kind, mode, type, tags ?? [], parameters ?? [], expr, onSuccess, onFailure, disabled, encoding);

    private static object? Json(string json) => CelValues.FromJson(JsonDocument.Parse(json).RootElement);

    private string? Failure(ConditionRule rule, string json, Dictionary<string, IReadOnlyList<string>>? tags = null, string? enableAt = null) =>
        _conditions.Check([rule], enableAt, Json(json), tags)?.Message;

    [Fact]
    public void ACondition_PassesOrFails_WithConfluentsMessage()
    {
        Assert.Null(Failure(Rule("message.amount > 0 && message.name.startsWith('a')"), """{"amount":5,"name":"ann"}"""));
        Assert.Equal("Rule failed: check: Expr failed: 'message.amount > 0'", Failure(Rule("message.amount > 0"), """{"amount":-1.5}"""));
        Assert.Equal("Rule failed: check: Amounts are positive", Failure(Rule("message.amount > 0", doc: "Amounts are positive"), """{"amount":0}"""));
        Assert.Null(Failure(Rule("size(message.items) == 2 && message.items[1].sku == 'b'"), """{"items":[{"sku":"a"},{"sku":"b"}]}"""));
    }

    [Fact]
    public void OnRead_ReadAndWriteReadRules_RunInReverseOrder_WithTheSecondOfTwoActions()
    {
        var message = Json("""{"amount":-1}""");
        ConditionRule Named(string name, string mode, string? onFailure = null) => Rule("message.amount > 0", mode: mode, onFailure: onFailure) with { Name = name };

        Assert.Null(_conditions.Check([Named("w", "WRITE")], null, message, null, mode: RuleMode.Read));
        Assert.Equal("Rule failed: r: Expr failed: 'message.amount > 0'", _conditions.Check([Named("r", "READ")], null, message, null, mode: RuleMode.Read)?.Message);
        Assert.Null(_conditions.Check([Named("r", "READ")], null, message, null, mode: RuleMode.Write));
        Assert.Equal("second", _conditions.Check([Named("first", "READ"), Named("second", "WRITEREAD")], null, message, null, mode: RuleMode.Read)?.RuleName);
        Assert.Equal("first", _conditions.Check([Named("first", "WRITEREAD"), Named("second", "WRITE")], null, message, null)?.RuleName);

        // "ERROR,NONE": the write fails, the read lets the record through; "NONE,ERROR" the other way round.
        Assert.NotNull(_conditions.Check([Named("both", "WRITEREAD", "ERROR,NONE")], null, message, null));
        Assert.Null(_conditions.Check([Named("both", "WRITEREAD", "ERROR,NONE")], null, message, null, mode: RuleMode.Read));
        Assert.Null(_conditions.Check([Named("both", "WRITEREAD", "NONE,ERROR")], null, message, null));
        Assert.NotNull(_conditions.Check([Named("both", "WRITEREAD", "NONE,ERROR")], null, message, null, mode: RuleMode.Read));
    }

    [Fact]
    public void OnlyEnabledWriteRules_Run_AndTheirActionsDecide()
    {
        const string negative = """{"amount":-1}""";
        Assert.Null(Failure(Rule("message.amount > 0", mode: "READ"), negative));
        Assert.Null(Failure(Rule("message.amount > 0", mode: "UPDOWN"), negative));
        Assert.Null(Failure(Rule("message.amount > 0", disabled: true), negative));
        Assert.Null(Failure(Rule("message.amount > 0"), negative, enableAt: "CLIENT"));
        Assert.NotNull(Failure(Rule("message.amount > 0"), negative, enableAt: "ALL"));
        Assert.Null(Failure(Rule("message.amount > 0", onFailure: "NONE"), negative));
        Assert.Null(Failure(Rule("message.amount > 0", mode: "WRITEREAD", onFailure: "NONE,ERROR"), negative));
        Assert.NotNull(Failure(Rule("message.amount > 0", mode: "WRITEREAD", onFailure: "ERROR,NONE"), negative));
        Assert.NotNull(Failure(Rule("message.amount > 0", onFailure: "DLQ"), negative));
        // Action names are Confluent's, as written: "none" is no action of its.
        Assert.NotNull(Failure(Rule("message.amount > 0", onFailure: "none"), negative));
        Assert.Equal("Rule failed: check", Failure(Rule("message.amount < 0", onSuccess: "ERROR"), negative));
    }

    [Fact]
    public void AGuardThatIsNotTrue_SkipsTheRule_UnlessGuardsAreIgnored()
    {
        var guarded = Rule("message.kind == 'refund' ; message.amount < 0");
        Assert.Null(Failure(guarded, """{"kind":"sale","amount":5}"""));
        Assert.Null(Failure(guarded, """{"kind":"refund","amount":-5}"""));
        Assert.NotNull(Failure(guarded, """{"kind":"refund","amount":5}"""));
        Assert.Null(Failure(Rule("message.missing > 0 ; false"), """{"amount":1}"""));
        var ignored = Rule("message.note == 'a;b'", parameters: new() { ["cel.ignore.guard.separator"] = "true" });
        Assert.Null(Failure(ignored, """{"note":"a;b"}"""));
    }

    [Fact]
    public void AConditionFailsOnFalseOrAnError_AndWhatCannotBeRunFailsTheRecord()
    {
        Assert.Null(Failure(Rule("message.amount"), """{"amount":1}"""));
        Assert.NotNull(Failure(Rule("message.missing > 0"), """{"amount":1}"""));
        Assert.NotNull(Failure(Rule("message.amount >"), """{"amount":1}"""));
        Assert.Equal("Rule failed: check: Condition failed: 'check'", Failure(Rule(null), "{}"));
        Assert.Equal("Rule failed: check: Rule check is a transform, which clients run, not the platform",
            Failure(Rule("", type: "CEL", kind: "TRANSFORM"), "{}"));
        Assert.Contains("encoding rule", Failure(Rule("true", type: "ENCRYPT_PAYLOAD", encoding: true), "{}"), StringComparison.Ordinal);
        Assert.Contains("Could not find rule executor of type JSONATA", Failure(Rule("x", type: "JSONATA"), "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Expressions_AreBounded_SoThatTheParserCannotRunOutOfStack()
    {
        Assert.Null(CelConditions.InvalidExpression("size(message.name) > 0 && message.note.matches('[(]{40}')"));
        Assert.NotNull(CelConditions.InvalidExpression(new string('(', 40) + "true" + new string(')', 40)));
        Assert.NotNull(CelConditions.InvalidExpression(new string('!', 40) + "true"));
        Assert.NotNull(CelConditions.InvalidExpression(string.Concat(Enumerable.Repeat("true ? ", 40)) + "1" + string.Concat(Enumerable.Repeat(" : 2", 40))));
        Assert.NotNull(CelConditions.InvalidExpression("1 == 1" + new string(' ', CelConditions.MaxExpressionLength)));
        Assert.Contains("nests deeper", Failure(Rule(new string('[', 200) + new string(']', 200)), "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public void FieldRules_RunOnEveryField_OrOnTheFieldsTheMetadataTags()
    {
        var nonEmpty = Rule("typeName != 'STRING' || size(value) > 0", type: "CEL_FIELD");
        Assert.Null(Failure(nonEmpty, """{"name":"a","address":{"street":"b"},"age":3}"""));
        Assert.NotNull(Failure(nonEmpty, """{"name":"a","address":{"street":""}}"""));
        // A list's items are checked under the list's name, each record with itself as the message.
        Assert.NotNull(Failure(Rule("name != 'sku' || value != ''", type: "CEL_FIELD"), """{"lines":[{"sku":"a"},{"sku":""}]}"""));
        Assert.Null(Failure(Rule("name != 'codes' || value > 0", type: "CEL_FIELD"), """{"codes":[1,2,3]}"""));
        Assert.Null(Failure(Rule("name != 'sku' || has(message.qty)", type: "CEL_FIELD"), """{"lines":[{"sku":"a","qty":1}]}"""));

        var piiOnly = Rule("size(value) <= 4", type: "CEL_FIELD", tags: ["PII"]);
        var tags = new Dictionary<string, IReadOnlyList<string>> { ["Person.ssn"] = ["PII"] };
        Assert.Null(Failure(piiOnly, """{"ssn":"1234","comment":"long enough to fail were it tagged"}""", tags));
        Assert.Equal("Rule failed: check: Expr failed: 'size(value) <= 4'", Failure(piiOnly, """{"ssn":"123456"}""", tags));
        Assert.Null(Failure(Rule("name == 'ssn' && 'PII' in tags", type: "CEL_FIELD", tags: ["PII"]), """{"ssn":"1","other":"x"}""", tags));
    }

    [Fact]
    public void InlineTags_OfAvroFieldsJsonSchemaPropertiesAndProtobufFieldOptions_CountForFieldRules_BesideTheMetadatas()
    {
        var avro = new Tributary.Grains.SchemaRegistry.Avro.AvroFormat().Parse("""
            {"type":"record","name":"Person","namespace":"hr","fields":[
              {"name":"ssn","type":"string","confluent:tags":["PII"]},
              {"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string","confluent:tags":["PII","HOME"]}]}},
              {"name":"comment","type":"string"}]}
            """, [], false);
        var avroTags = InlineTags.Of(avro);
        Assert.Equal(["PII"], avroTags["hr.Person.ssn"]);
        Assert.Equal(["PII", "HOME"], avroTags["hr.Address.street"]);
        Assert.False(avroTags.ContainsKey("hr.Person.comment"));

        var json = new Tributary.Grains.SchemaRegistry.Json.JsonSchemaFormat().Parse("""
            {"type":"object","properties":{"ssn":{"type":"string","confluent:tags":["PII"]},"comment":{"type":"string"}}}
            """, [], false);
        var merged = InlineTags.Merge(new Dictionary<string, IReadOnlyList<string>> { ["$.ssn"] = ["SECRET"] }, InlineTags.Of(json))!;
        Assert.Equal(["SECRET", "PII"], merged["$.ssn"]);

        var proto = new Tributary.Grains.SchemaRegistry.Protobuf.ProtobufFormat().Parse("""
            syntax = "proto3";
            package hr;
            import "confluent/meta.proto";
            message Person {
              string ssn = 1 [(confluent.field_meta).tags = "PII"];
              string comment = 2;
              message Address { string street = 1 [(confluent.field_meta) = { tags: ["PII", "HOME"] }]; }
            }
            """, [], false);
        var protoTags = InlineTags.Of(proto);
        Assert.Equal(["PII"], protoTags["hr.Person.ssn"]);
        Assert.Equal(["PII", "HOME"], protoTags["hr.Person.Address.street"]);
        Assert.False(protoTags.ContainsKey("hr.Person.comment"));

        var piiOnly = Rule("size(value) <= 4", type: "CEL_FIELD", tags: ["PII"]);
        Assert.Null(Failure(piiOnly, """{"ssn":"1234","comment":"long enough to fail were it tagged"}""", new(avroTags)));
        Assert.NotNull(Failure(piiOnly, """{"ssn":"1234","address":{"street":"a long street"}}""", new(avroTags)));
    }

    [Fact]
    public void TypeName_IsTheSchemasType_WhereTheSchemaSettlesIt()
    {
        var avro = new Tributary.Grains.SchemaRegistry.Avro.AvroFormat().Parse("""
            {"type":"record","name":"Reading","fields":[
              {"name":"count","type":"int"},{"name":"ratio","type":"float"},{"name":"unit","type":{"type":"enum","name":"Unit","symbols":["C","F"]}},
              {"name":"note","type":["null","string"]},{"name":"samples","type":{"type":"array","items":"int"}},{"name":"either","type":["int","string"]},
              {"name":"day","type":{"type":"int","logicalType":"date"}},{"name":"id","type":{"type":"string","logicalType":"uuid"}}]}
            """, [], false);
        var types = FieldTypes.Of(avro);
        Assert.Equal(("INT", "FLOAT", "ENUM", "STRING", "INT"), (types["count"], types["ratio"], types["unit"], types["note"], types["samples"]));
        Assert.Equal(("INT", "STRING"), (types["day"], types["id"]));
        Assert.False(types.ContainsKey("either"));

        var json = new Tributary.Grains.SchemaRegistry.Json.JsonSchemaFormat().Parse("""
            {"type":"object","properties":{"n":{"type":"integer"},"x":{"type":["number","null"]},"kind":{"enum":["a","b"]},"tags":{"type":"array","items":{"type":"string"}}}}
            """, [], false);
        Assert.Equal(("INT", "DOUBLE", "ENUM", "STRING"), (FieldTypes.Of(json)["n"], FieldTypes.Of(json)["x"], FieldTypes.Of(json)["kind"], FieldTypes.Of(json)["tags"]));

        var intsOnly = Rule("typeName != 'INT' || value >= 0", type: "CEL_FIELD");
        Assert.NotNull(_conditions.Check([intsOnly], null, Json("""{"count":-1,"ratio":-1.0}"""), null, fieldTypes: types));
        Assert.Null(_conditions.Check([intsOnly], null, Json("""{"count":1,"ratio":-1.0}"""), null, fieldTypes: types));
        Assert.Null(_conditions.Check([intsOnly], null, Json("""{"count":-1}"""), null));
    }

    [Fact]
    public void AnAvroRecord_IsSeenAsConfluentsSerializersHandIt()
    {
        var schema = (RecordSchema)Avro.Schema.Parse("""
            {"type":"record","name":"Payment","fields":[
              {"name":"id","type":"string"},{"name":"count","type":"int"},{"name":"note","type":["null","string"]},
              {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["SALE","REFUND"]}},
              {"name":"lines","type":{"type":"array","items":"double"}}]}
            """);
        var record = new GenericRecord(schema);
        record.Add("id", "p-1");
        record.Add("count", 3);
        record.Add("note", "hi");
        record.Add("kind", new GenericEnum((EnumSchema)schema["kind"].Schema, "REFUND"));
        record.Add("lines", new object[] { 1.5, 2.5 });

        var message = CelValues.FromAvro(record);
        Assert.Null(_conditions.Check([Rule("message.count == 3 && message.note == 'hi' && message.kind == 'REFUND' && message.lines[1] == 2.5")], null, message, null));
        Assert.NotNull(_conditions.Check([Rule("message.count > 3")], null, message, null));
    }

    [Fact]
    public void AProtobufMessage_IsSeenWithItsProtoNames_AndNumbersAsNumbers()
    {
        var format = new ProtobufFormat();
        var schema = format.Parse("""
            syntax = "proto3";
            message User { int64 user_id = 1; Kind kind = 2; string display_name = 3; enum Kind { NONE = 0; ADMIN = 1; } }
            """, [], normalize: false);
        var payload = ((ISchemaValueCodec)format).Encode(schema, """{"userId":"9000000000","kind":"ADMIN","displayName":"ann"}""");

        var message = CelValues.FromPayload(schema, (ISchemaValueCodec)format, payload);
        Assert.Null(_conditions.Check([Rule("message.user_id > 8000000000 && message.kind == 1 && message.display_name == 'ann'")], null, message, null));
    }
}
