using Tributary.Grains.Connect.Api.Data;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Avro.Support;

/// <summary>A struct with a field of every kind that Avro records are read and written directly with, and values for it.</summary>
internal static class EverythingSchema
{
    private static readonly ConnectSchema Address = SchemaBuilder.Struct().WithName("com.example.Address")
        .Field("street", ConnectSchema.String).Field("zip", ConnectSchema.OptionalInt32).Optional().Build();

    public static readonly ConnectSchema Schema = SchemaBuilder.Struct().WithName("com.example.Everything")
        .Field("b", ConnectSchema.Boolean).Field("i8", ConnectSchema.Int8).Field("i16", ConnectSchema.Int16)
        .Field("i32", ConnectSchema.Int32).Field("i64", ConnectSchema.Int64).Field("f32", ConnectSchema.Float32)
        .Field("f64", ConnectSchema.Float64).Field("s", ConnectSchema.String).Field("bytes", ConnectSchema.Bytes)
        .Field("os", ConnectSchema.OptionalString).Field("oi64", ConnectSchema.OptionalInt64).Field("obytes", ConnectSchema.OptionalBytes)
        .Field("amount", LogicalTypes.Decimal(3).Build()).Field("oamount", LogicalTypes.Decimal(1).Optional().Build())
        .Field("day", LogicalTypes.Date().Build()).Field("time", LogicalTypes.Time().Build())
        .Field("at", LogicalTypes.Timestamp().Build()).Field("oat", LogicalTypes.Timestamp().Optional().Build())
        .Field("address", Address)
        .Build();

    public static Struct Value(int n) => new Struct(Schema)
        .Put("b", n % 2 == 0).Put("i8", (sbyte)(n - 100)).Put("i16", (short)(n * 300 - 20000)).Put("i32", n * -7919)
        .Put("i64", long.MinValue + n).Put("f32", n / 7f).Put("f64", n * Math.PI).Put("s", $"s-{n}-ünïcode")
        .Put("bytes", new[] { (byte)n, (byte)255, (byte)0 })
        .Put("os", n % 3 == 0 ? null : "o" + n).Put("oi64", n % 4 == 0 ? null : (long)n << 40).Put("obytes", n % 5 == 0 ? null : new byte[n % 7])
        .Put("amount", n * 1.001m - 50m).Put("oamount", n % 2 == 0 ? null : n / 10m)
        .Put("day", DateTime.UnixEpoch.AddDays(n * 37)).Put("time", DateTime.UnixEpoch.AddMilliseconds(n * 12_345 % 86_400_000))
        .Put("at", DateTime.UnixEpoch.AddMilliseconds(1_700_000_000_000L + n)).Put("oat", n % 3 == 1 ? null : DateTime.UnixEpoch.AddMilliseconds(n))
        .Put("address", n % 2 == 1 ? null : new Struct(Address).Put("street", "Main " + n).Put("zip", n % 4 == 0 ? null : n));
}
