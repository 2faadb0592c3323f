using System.Text;
using Tributary.Grains.Connect.Runtime.Offsets;

namespace Tributary.Tests.Connect.Runtime.Offsets;

public sealed class OffsetRecordsTests
{
    [Fact]
    public void AnOffsetRecord_HasKafkasKeyAndValue_InTheOffsetsTopic()
    {
        var record = OffsetRecords.Write("connect-offsets", "local-file-source", """{"filename":"/tmp/test.txt"}""", """{"position":42}""");

        Assert.Equal("connect-offsets", record.Topic);
        Assert.Null(record.Partition);
        Assert.Equal("""["local-file-source",{"filename":"/tmp/test.txt"}]""", Encoding.UTF8.GetString(record.Key!));
        Assert.Equal("""{"position":42}""", Encoding.UTF8.GetString(record.Value!));
    }

    [Fact]
    public void ARemovedOffset_IsATombstone()
    {
        Assert.Null(OffsetRecords.Write("connect-offsets", "c", """{"a":1}""", null).Value);
    }

    [Fact]
    public void AKeyWrittenByKafka_IsReadBack_WithItsPartitionInCanonicalForm()
    {
        var key = Encoding.UTF8.GetBytes("""["jdbc-source", {"table": "users", "protocol": "1"}]""");

        var parsed = OffsetRecords.ReadKey(key);

        Assert.Equal(("jdbc-source", """{"protocol":"1","table":"users"}"""), parsed);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"connector":"c"}""")]
    [InlineData("""["c"]""")]
    [InlineData("""[1, {"a":1}]""")]
    public void KeysNotInKafkasForm_AreNotOffsets(string key)
    {
        Assert.Null(OffsetRecords.ReadKey(Encoding.UTF8.GetBytes(key)));
        Assert.Null(OffsetRecords.ReadKey(null));
    }
}
