namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>Avro schemas the registry tests register, as users write them.</summary>
internal static class Schemas
{
    public const string PaymentV1 = """
        {"type":"record","name":"Payment","namespace":"com.example","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":"double"}]}
        """;

    /// <summary>V1 with a field added with a default: backward and forward compatible.</summary>
    public const string PaymentV2 = """
        {"type":"record","name":"Payment","namespace":"com.example","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":"double"},
          {"name":"currency","type":"string","default":"EUR"}]}
        """;

    /// <summary>V1 with a field added without a default: a reader of this cannot read V1 data (not BACKWARD).</summary>
    public const string PaymentWithoutDefault = """
        {"type":"record","name":"Payment","namespace":"com.example","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":"double"},
          {"name":"region","type":"string"}]}
        """;

    public const string Address = """
        {"type":"record","name":"Address","namespace":"com.example","fields":[
          {"name":"street","type":"string"},
          {"name":"city","type":"string"}]}
        """;

    /// <summary>Uses com.example.Address, which it does not define: registered with a reference.</summary>
    public const string Customer = """
        {"type":"record","name":"Customer","namespace":"com.example","fields":[
          {"name":"name","type":"string"},
          {"name":"home","type":"com.example.Address"}]}
        """;

    /// <summary>A record of its own name, so that each test's subject has a distinct schema (and id).</summary>
    public static string Record(string name, params string[] fields) =>
        $$"""{"type":"record","name":"{{name}}","fields":[{{string.Join(",", fields.Select(f => $$"""{"name":"{{f}}","type":"int"}"""))}}]}""";

    /// <summary>As <see cref="Record"/>, with defaults: each field added is a compatible change at every level.</summary>
    public static string RecordWithDefaults(string name, params string[] fields) =>
        $$"""{"type":"record","name":"{{name}}","fields":[{{string.Join(",", fields.Select(f => $$"""{"name":"{{f}}","type":"int","default":0}"""))}}]}""";
}
