using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Runtime.Offsets;

namespace Tributary.Tests.Connect.Runtime.Offsets;

public sealed class OffsetJsonTests
{
    [Fact]
    public void Write_OrdersKeys_SoEqualMapsHaveEqualText()
    {
        var a = new Dictionary<string, object?> { ["table"] = "users", ["db"] = "main" };
        var b = new Dictionary<string, object?> { ["db"] = "main", ["table"] = "users" };

        Assert.Equal("""{"db":"main","table":"users"}""", OffsetJson.Write(a));
        Assert.Equal(OffsetJson.Write(a), OffsetJson.Write(b));
    }

    [Fact]
    public void Write_OrdersNestedMapsToo()
    {
        var map = new Dictionary<string, object?> { ["z"] = new Dictionary<string, object?> { ["b"] = 1, ["a"] = 2 }, ["a"] = new List<object?> { 1, "x", null } };

        Assert.Equal("""{"a":[1,"x",null],"z":{"a":2,"b":1}}""", OffsetJson.Write(map));
    }

    [Fact]
    public void Read_GivesIntegersAsLong_OtherNumbersAsDouble()
    {
        var offset = OffsetJson.Read("""{"position": 42, "ratio": 0.5, "big": 9007199254740993, "ok": true, "none": null, "name": "f"}""");

        Assert.Equal(42L, offset["position"]);
        Assert.IsType<long>(offset["position"]);
        Assert.Equal(0.5, offset["ratio"]);
        Assert.Equal(9007199254740993L, offset["big"]);
        Assert.Equal(true, offset["ok"]);
        Assert.Null(offset["none"]);
        Assert.Equal("f", offset["name"]);
    }

    [Fact]
    public void RoundTrip_IntsComeBackAsLong()
    {
        var original = new Dictionary<string, object?> { ["position"] = 7, ["small"] = (short)3, ["nested"] = new Dictionary<string, object?> { ["n"] = 1 } };

        var read = OffsetJson.Read(OffsetJson.Write(original));

        Assert.Equal(7L, read["position"]);
        Assert.Equal(3L, read["small"]);
        Assert.Equal(1L, ((IReadOnlyDictionary<string, object?>)read["nested"]!)["n"]);
        Assert.Equal(OffsetJson.Write(original), OffsetJson.Write(read));
    }

    [Fact]
    public void Canonical_OfTextWrittenByOthers_MatchesOurText()
    {
        Assert.Equal("""{"a":1,"b":"x"}""", OffsetJson.Canonical("""{ "b" : "x", "a" : 1 }"""));
    }

    [Fact]
    public void Read_NotAnObject_Throws()
    {
        Assert.Throws<DataException>(() => OffsetJson.Read("[1,2]"));
    }

    [Fact]
    public void Write_AValueJsonCannotHold_Throws()
    {
        Assert.Throws<DataException>(() => OffsetJson.Write(new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch }));
    }
}
