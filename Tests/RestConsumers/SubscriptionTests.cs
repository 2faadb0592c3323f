using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

namespace Tributary.Tests.RestConsumers;

public sealed class SubscriptionTests
{
    [Fact]
    public void EveryRequest_ToAnInstanceNeverCreated_IsInstanceNotFound()
    {
        var consumer = new RestConsumer(Options, Clock());

        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.BeginRequest());
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.Subscribe(["t"], null));
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.Unsubscribe());
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.Assign([P("t", 0)]));
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.Seek([At("t", 0, 1)]));
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.BeginSeekTo([P("t", 0)]));
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.GetSubscription().Error);
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.GetAssignment().Error);
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.Commit(null).Error);
        Assert.Null(consumer.GetConfig());
    }

    [Fact]
    public void CreatingAnInstanceThatExists_IsInstanceExists_AndKeepsItsSettings()
    {
        var consumer = Created(reset: "earliest");

        Assert.Equal(RestConsumerError.InstanceExists, consumer.Create(new InstanceConfig("json", "latest", true, 5000)));
        Assert.Equal(new InstanceConfig("binary", "earliest", false, 1000), consumer.GetConfig());
    }

    [Fact]
    public void Subscribing_WhilePartitionsAreAssignedByHand_IsAnIllegalState()
    {
        var consumer = Created();
        Assert.Equal(RestConsumerError.None, consumer.Assign([P("t", 0)]));

        Assert.Equal(RestConsumerError.IllegalState, consumer.Subscribe(["t"], null));
        Assert.Equal(RestConsumerError.IllegalState, consumer.Subscribe(null, "t.*"));
        Assert.False(consumer.IsSubscribed);
        Assert.Equal([P("t", 0)], consumer.GetAssignment().Partitions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AssigningByHand_WhileSubscribed_IsAnIllegalState(bool byPattern)
    {
        var consumer = Created();
        Assert.Equal(RestConsumerError.None, byPattern ? consumer.Subscribe(null, "t.*") : consumer.Subscribe(["t"], null));

        Assert.Equal(RestConsumerError.IllegalState, consumer.Assign([P("t", 0)]));
        Assert.Empty(consumer.GetAssignment().Partitions);
    }

    [Fact]
    public void AManualAssignment_DropsDuplicates_AndReplacesTheEarlierOne_KeepingThePositionsOfPartitionsThatStay()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0), P("t", 1), P("t", 0)]);
        Assert.Equal([P("t", 0), P("t", 1)], consumer.GetAssignment().Partitions);
        consumer.Seek([At("t", 0, 5), At("t", 1, 7)]);

        consumer.Assign([P("t", 1), P("t", 2)]);

        Assert.Equal([P("t", 1), P("t", 2)], consumer.GetAssignment().Partitions);
        Assert.Equal(new Dictionary<TopicPartition, long> { [P("t", 1)] = 7 }, consumer.Positions);
    }

    [Fact]
    public void TheSubscription_IsTheNamedTopics_OrWhatThePatternMatchedAtTheLastJoin()
    {
        var topics = Created();
        topics.Subscribe(["b", "a"], null);
        Assert.Equal(["b", "a"], topics.GetSubscription().Topics);

        var pattern = Created();
        pattern.Subscribe(null, "orders-.*");
        Assert.Empty(pattern.GetSubscription().Topics);
        var join = ExpectJoin(pattern, pattern.StartMembership(), ["orders-eu", "payments", "orders-us", "x-orders-eu"]);

        Assert.Equal(["orders-eu", "orders-us"], pattern.GetSubscription().Topics);
        Assert.Equal(["orders-eu", "orders-us"], ConsumerProtocol.DecodeSubscriptionTopics(join.Request.Subscription()));
    }

    [Fact]
    public void Subscribing_WithNeitherTopicsNorPattern_SubscribesToNoTopic()
    {
        var consumer = Created();

        Assert.Equal(RestConsumerError.None, consumer.Subscribe(null, null));

        Assert.True(consumer.IsSubscribed);
        Assert.Empty(consumer.GetSubscription().Topics);
        Assert.Equal(RestConsumerError.IllegalState, consumer.Assign([P("t", 0)]));
    }

    [Fact]
    public void Unsubscribing_DropsTheSubscriptionAndItsPartitions_SoThatAssigningByHandBecomesLegal()
    {
        var consumer = Created();
        consumer.Subscribe(["t"], null);
        JoinAlone(consumer, new Dictionary<string, int> { ["t"] = 2 });
        Assert.Equal(2, consumer.Assignment.Count);

        Assert.Equal(RestConsumerError.None, consumer.Unsubscribe());

        Assert.False(consumer.IsSubscribed);
        Assert.Empty(consumer.Assignment);
        Assert.Equal(RestConsumerError.None, consumer.Assign([P("t", 0)]));
    }

    [Fact]
    public void Unsubscribing_AnInstanceThatAssignedByHand_DropsItsPartitions_ButItStillCannotSubscribe()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);
        consumer.Seek([At("t", 0, 3)]);

        Assert.Equal(RestConsumerError.None, consumer.Unsubscribe());

        Assert.Empty(consumer.GetAssignment().Partitions);
        Assert.Empty(consumer.Positions);
        Assert.Equal(RestConsumerError.IllegalState, consumer.Subscribe(["t"], null));
    }

    [Fact]
    public void ASubscribedInstance_AwaitsAssignment_UntilItsGroupHasAssignedPartitions()
    {
        var consumer = Created();
        Assert.False(consumer.AwaitsAssignment);

        consumer.Subscribe(["t"], null);
        Assert.True(consumer.AwaitsAssignment);

        JoinAlone(consumer, new Dictionary<string, int> { ["t"] = 1 });
        Assert.False(consumer.AwaitsAssignment);
    }

    [Fact]
    public void AClosedInstance_IsNotFound_AndOneCreatedAgainUnderItsNameStartsAfresh()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);
        consumer.Seek([At("t", 0, 3)]);

        consumer.Close();
        Assert.Equal(RestConsumerError.InstanceNotFound, consumer.GetAssignment().Error);

        Assert.Equal(RestConsumerError.None, consumer.Create(new InstanceConfig("json", "latest", false, 1000)));
        Assert.Empty(consumer.GetAssignment().Partitions);
        Assert.Empty(consumer.Positions);
        Assert.Equal(RestConsumerError.None, consumer.Subscribe(["t"], null));
    }
}
