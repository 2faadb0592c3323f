using Orleans;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Tests.Gateway.Support;

public static class Topics
{
    public static async Task CreateAsync(this BrokerFixture broker, string name, int partitions, Dictionary<string, string?>? configs = null)
    {
        var result = await broker.Grains.GetGrain<ITopicGrain>(name).CreateAsync(new CreateTopicRequest(partitions, 1, configs ?? []));
        Assert.Equal(Tributary.Gateway.Protocol.ErrorCode.None, result.Error);
    }
}
