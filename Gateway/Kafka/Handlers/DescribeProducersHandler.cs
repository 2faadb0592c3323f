using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeProducers (61): the producers each partition keeps state for, with their open transaction's start. As in
/// Kafka, a topic name Kafka refuses is INVALID_TOPIC_EXCEPTION, an unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION.
/// It needs READ on each topic (TOPIC_AUTHORIZATION_FAILED, checked after the name and before the topic is looked up).
/// </summary>
public sealed class DescribeProducersHandler(IGrainFactory grains, TopicCache topics, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeProducersRequest, DescribeProducersResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeProducers;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<DescribeProducersResponse?> HandleAsync(DescribeProducersRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeProducersResponse();
        foreach (var topic in body.Topics)
        {
            var invalid = TopicNames.Validate(topic.Name);
            var authorized = invalid is null && authorizer.Authorize(request, AclOperation.Read, AclResourceType.Topic, topic.Name);
            var description = authorized ? await topics.DescribeAsync(topic.Name) : null;
            var result = new DescribeProducersResponse.TopicResponse { Name = topic.Name };
            foreach (var index in topic.PartitionIndexes)
            {
                var partition = new DescribeProducersResponse.PartitionResponse { PartitionIndex = index, ErrorMessage = null };
                if (invalid is not null)
                {
                    partition.ErrorCode = (short)ErrorCode.InvalidTopicException;
                    partition.ErrorMessage = invalid;
                }
                else if (!authorized)
                {
                    partition.ErrorCode = (short)ErrorCode.TopicAuthorizationFailed;
                }
                else if (description is null || index < 0 || index >= description.PartitionCount)
                {
                    partition.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    partition.ActiveProducers = (await PartitionGrainKey.Get(grains, topic.Name, index).DescribeProducersAsync())
                        .Select(p => new DescribeProducersResponse.ProducerState
                        {
                            ProducerId = p.ProducerId,
                            ProducerEpoch = p.ProducerEpoch,
                            LastSequence = p.LastSequence,
                            LastTimestamp = p.LastTimestamp,
                            CoordinatorEpoch = p.CoordinatorEpoch,
                            CurrentTxnStartOffset = p.CurrentTxnStartOffset,
                        }).ToList();
                }

                result.Partitions.Add(partition);
            }

            response.Topics.Add(result);
        }

        return response;
    }
}
