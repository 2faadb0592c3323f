using Tributary.Grains.KafkaFormats;

namespace Tributary.Tests.KafkaFormats;

public sealed class TopicNamesTests
{
    [Theory]
    [InlineData("orders")]
    [InlineData("__consumer_offsets")]
    [InlineData("a.b-c_D9")]
    public void LegalNames_Pass(string name) => Assert.Null(TopicNames.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("ünïcode")]
    public void IllegalNames_AreRefused(string name) => Assert.NotNull(TopicNames.Validate(name));

    [Fact]
    public void NamesLongerThan249_AreRefused()
    {
        Assert.Null(TopicNames.Validate(new string('a', 249)));
        Assert.NotNull(TopicNames.Validate(new string('a', 250)));
    }
}
