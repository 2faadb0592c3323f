namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>The names AvroData writes into Avro schemas and Connect parameters, spelled exactly as Confluent's.</summary>
internal static class AvroDataNames
{
    public const string Namespace = "io.confluent.connect.avro";
    public const string DefaultSchemaName = "ConnectDefault";
    public const string DefaultSchemaFullName = Namespace + "." + DefaultSchemaName;
    public const string MapEntryTypeName = "MapEntry";
    public const string KeyField = "key";
    public const string ValueField = "value";

    public const string ConnectNameProp = "connect.name";
    public const string ConnectDocProp = "connect.doc";
    public const string ConnectRecordDocProp = "connect.record.doc";
    public const string ConnectEnumDocProp = "connect.enum.doc";
    public const string ConnectVersionProp = "connect.version";
    public const string ConnectDefaultValueProp = "connect.default";
    public const string ConnectParametersProp = "connect.parameters";
    public const string ConnectInternalTypeName = "connect.internal.type";
    public const string ConnectTypeProp = "connect.type";
    public const string ConnectTypeInt8 = "int8";
    public const string ConnectTypeInt16 = "int16";

    public const string AvroRecordDocProp = Namespace + ".record.doc";
    public const string AvroEnumDocPrefixProp = Namespace + ".enum.doc.";
    public const string AvroFieldDocPrefixProp = Namespace + ".field.doc.";
    public const string AvroFieldDefaultFlagProp = Namespace + ".field.default";
    public const string AvroEnumDefaultPrefixProp = Namespace + ".enum.default.";
    public const string AvroTypeUnion = Namespace + ".Union";
    public const string AvroTypeEnum = Namespace + ".Enum";

    /// <summary>Connect's generalized sum types (Kafka's <c>ConnectUnion</c> and <c>ConnectEnum</c> parameters).</summary>
    public const string GeneralizedTypeUnion = "org.apache.kafka.connect.data.Union";
    public const string GeneralizedTypeEnum = "org.apache.kafka.connect.data.Enum";
    public const string GeneralizedTypeUnionPrefix = "connect_union_";
    public const string GeneralizedTypeUnionFieldPrefix = GeneralizedTypeUnionPrefix + "field_";

    /// <summary>Every Connect parameter whose name starts so is copied to the Avro schema as a property, and back.</summary>
    public const string AvroProp = "avro";

    public const string LogicalDecimal = "decimal";
    public const string LogicalDate = "date";
    public const string LogicalTimeMillis = "time-millis";
    public const string LogicalTimestampMillis = "timestamp-millis";
    public const string DecimalScaleProp = "scale";
    public const string DecimalPrecisionProp = "precision";
    public const string ConnectFixedSizeProp = "connect.fixed.size";
    public const string ConnectDecimalPrecisionProp = "connect.decimal.precision";
    public const int ConnectDecimalPrecisionDefault = 64;
}
