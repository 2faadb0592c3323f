using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Tests.Protocol.Messages;

/// <summary>A response's error codes, counted at every depth and only at the versions that carry them, as Kafka's <c>errorCounts()</c>.</summary>
public sealed class ErrorCountTests
{
    private static FetchResponse Fetch() => new()
    {
        ErrorCode = 0,
        Responses =
        [
            new() { Topic = "a", Partitions = [new() { ErrorCode = 0 }, new() { ErrorCode = 6 }] },
            new() { Topic = "b", Partitions = [new() { ErrorCode = 6 }, new() { ErrorCode = 1 }] },
        ],
    };

    [Fact]
    public void EveryPartitionsCode_AndTheTopLevelOne_AreCounted()
    {
        var counts = new ErrorCodeCounts();
        Fetch().CountErrors(counts, 12);

        var byCode = Enumerable.Range(0, counts.Distinct).Select(i => counts[i]).ToDictionary(c => c.Code, c => c.Count);
        Assert.Equal(new Dictionary<short, int> { [0] = 2, [6] = 2, [1] = 1 }, byCode);
    }

    [Fact]
    public void AddPartitionsToTxn_CountsEachPartitionsCode()
    {
        // Its partitions' field is PartitionErrorCode; clients use v0-v3, which carry no top-level code (counted as NONE).
        var response = new AddPartitionsToTxnResponse
        {
            ResultsByTopicV3AndBelow =
            [
                new() { Name = "a", ResultsByPartition = [new() { PartitionIndex = 0, PartitionErrorCode = 0 }, new() { PartitionIndex = 1, PartitionErrorCode = 53 }] },
            ],
        };
        var counts = new ErrorCodeCounts();
        response.CountErrors(counts, 3);

        var byCode = Enumerable.Range(0, counts.Distinct).Select(i => counts[i]).ToDictionary(c => c.Code, c => c.Count);
        Assert.Equal(new Dictionary<short, int> { [0] = 2, [53] = 1 }, byCode);
    }

    [Fact]
    public void DeleteAcls_CountsItsFiltersResults_NotEachMatchingAcl()
    {
        var response = new DeleteAclsResponse
        {
            FilterResults = [new() { ErrorCode = 0, MatchingAcls = [new() { ErrorCode = 0 }, new() { ErrorCode = 0 }] }],
        };
        var counts = new ErrorCodeCounts();
        response.CountErrors(counts, 1);

        Assert.Equal(1, counts.Distinct);
        Assert.Equal((0, 1), counts[0]);
    }

    [Fact]
    public void CountsAreReused_AfterClear()
    {
        var counts = new ErrorCodeCounts();
        for (short code = 0; code < 10; code++)
        {
            counts.Add(code);
        }

        Assert.Equal(10, counts.Distinct);
        counts.Clear();
        counts.Add(3);
        Assert.Equal(1, counts.Distinct);
        Assert.Equal((3, 1), counts[0]);
    }

    [Fact]
    public void EveryResponse_CountsItsErrors_AndNoRequestDoes()
    {
        var messages = typeof(ApiKey).Assembly.GetTypes().Where(t => t.Namespace == typeof(ApiKey).Namespace && t.IsClass && !t.IsNested).ToList();
        Assert.All(messages.Where(t => t.Name.EndsWith("Response", StringComparison.Ordinal) && t.Name != nameof(ResponseHeader)),
            t => Assert.True(typeof(IErrorCodeResponse).IsAssignableFrom(t), t.Name));
        Assert.All(messages.Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal)),
            t => Assert.False(typeof(IErrorCodeResponse).IsAssignableFrom(t), t.Name));
    }
}
