using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;

namespace Tributary.Tests.Connect.Api.Connector;

public sealed class ConnectHeadersTests
{
    [Fact]
    public void ConnectHeaders_KeepOrder_AndRepeatedKeys()
    {
        var headers = new ConnectHeaders().AddString("a", "1").AddInt("b", 2).AddString("a", "3");

        Assert.Equal(["a", "b", "a"], headers.Select(h => h.Key));
        Assert.Equal(3, headers.Count);
        Assert.Equal(["1", "3"], headers.AllWithName("a").Select(h => h.Value));
    }

    [Fact]
    public void HeadersMadeEmpty_AnswerAsEmpty_AndTakeHeadersLater_WithoutTouchingTheirCopies()
    {
        var headers = new ConnectHeaders(new List<ConnectHeader>());
        var copy = headers.Duplicate();

        Assert.True(headers.IsEmpty);
        Assert.Empty(headers);
        Assert.Null(headers.LastWithName("a"));
        Assert.Empty(headers.AllWithName("a"));
        Assert.Same(headers, headers.Remove("a").RetainLatest().Clear());

        headers.AddString("a", "1");
        Assert.Equal(["a"], headers.Select(h => h.Key));
        Assert.True(copy.IsEmpty);
        Assert.Equal(["a"], headers.Duplicate().Select(h => h.Key));
    }

    [Fact]
    public void LastWithName_IsTheLatestHeaderOfThatKey()
    {
        var headers = new ConnectHeaders().AddString("a", "1").AddString("a", "2");

        Assert.Equal("2", headers.LastWithName("a")!.Value);
        Assert.Null(headers.LastWithName("missing"));
    }

    [Fact]
    public void Typed_Adders_GiveTheirSchemas()
    {
        var headers = new ConnectHeaders().AddString("s", "x").AddString("n", null).AddInt("i", 1).AddLong("l", 2L);

        Assert.Equal(Schema.String, headers.LastWithName("s")!.Schema);
        Assert.Equal(Schema.OptionalString, headers.LastWithName("n")!.Schema);
        Assert.Equal(Schema.Int32, headers.LastWithName("i")!.Schema);
        Assert.Equal(Schema.Int64, headers.LastWithName("l")!.Schema);
    }

    [Fact]
    public void Add_ValueThatDoesNotFitItsSchema_Throws()
    {
        Assert.Throws<DataException>(() => new ConnectHeaders().Add("k", "text", Schema.Int32));
    }

    [Fact]
    public void Remove_DropsEveryHeaderOfThatKey()
    {
        var headers = new ConnectHeaders().AddString("a", "1").AddString("b", "2").AddString("a", "3").Remove("a");

        Assert.Equal(["b"], headers.Select(h => h.Key));
    }

    [Fact]
    public void RetainLatest_KeepsOnlyTheLastOfEachKey_InOrder()
    {
        var headers = new ConnectHeaders().AddString("a", "1").AddString("b", "2").AddString("a", "3").RetainLatest();

        Assert.Equal([("b", "2"), ("a", "3")], headers.Select(h => (h.Key, (string)h.Value!)));
    }

    [Fact]
    public void Duplicate_IsIndependentOfTheOriginal()
    {
        var original = new ConnectHeaders().AddString("a", "1");
        var copy = original.Duplicate();

        copy.AddString("b", "2");
        original.Clear();

        Assert.True(original.IsEmpty);
        Assert.Equal(2, copy.Count);
    }

    [Fact]
    public void NewRecord_OfARecordWithoutHeaders_GetsHeadersOfItsOwn()
    {
        var source = new SourceRecord(null, null, "t", null, null, null, Schema.String, "v");
        var sink = new Grains.Connect.Api.Sink.SinkRecord("t", 0, null, null, Schema.String, "v", 7);

        var nextSource = source.NewRecord("t2", null, null, null, Schema.String, "v", null);
        var nextSink = sink.NewRecord("t2", 0, null, null, Schema.String, "v", null);
        nextSource.Headers.AddString("b", "2");
        nextSink.Headers.AddString("b", "2");

        Assert.Empty(source.Headers);
        Assert.Empty(sink.Headers);
        Assert.Single(nextSource.Headers);
        Assert.Single(nextSink.Headers);
    }

    [Fact]
    public void NewRecord_CopiesTheHeaders_SoTransformsDoNotChangeTheOriginal()
    {
        var record = new SourceRecord(null, null, "t", null, null, null, Schema.String, "v",
            headers: new ConnectHeaders().AddString("a", "1"));

        var next = record.NewRecord("t2", null, null, null, Schema.String, "v", null);
        next.Headers.AddString("b", "2");

        Assert.Single(record.Headers);
        Assert.Equal(2, next.Headers.Count);
        Assert.Equal("t2", next.Topic);
    }

    [Fact]
    public void HeadersAddedToARecordMadeWithoutAny_StayItsOwn_AndGoIntoCopiesMadeAfterwards()
    {
        var record = new Grains.Connect.Api.Sink.SinkRecord("t", 0, null, null, Schema.String, "v", 7, headers: []);
        var before = record.NewRecord("t2", 0, null, null, Schema.String, "v", null);
        Assert.False(record.HasHeaders);
        Assert.Empty(record.Headers);
        Assert.False(record.HasHeaders);

        record.Headers.AddString("a", "1");
        Assert.True(record.HasHeaders);
        var after = record.NewRecord("t3", 0, null, null, Schema.String, "v", null);
        after.Headers.AddString("b", "2");

        Assert.Same(record.Headers, record.Headers);
        Assert.Equal(["a"], record.Headers.Select(h => h.Key));
        Assert.Empty(before.Headers);
        Assert.Equal(["a", "b"], after.Headers.Select(h => h.Key));
    }
}
