using System.Globalization;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeConfigs (32): a topic's configs with their values, sources (set on the topic or default), types,
/// synonyms and documentation as asked; a broker's static settings, read-only.
/// </summary>
public sealed class DescribeConfigsHandler(
    IGrainFactory grains,
    BrokerIdentity broker,
    BrokerSettings settings,
    IOptions<KafkaListenerOptions> listener) : KafkaApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<DescribeConfigsResponse?> HandleAsync(DescribeConfigsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var synonyms = request.ApiVersion >= 1 && body.IncludeSynonyms;
        var documentation = request.ApiVersion >= 3 && body.IncludeDocumentation;
        var results = await Task.WhenAll(body.Resources.Select(resource => (ConfigResourceType)resource.ResourceType switch
        {
            ConfigResourceType.Topic => DescribeTopicAsync(resource, synonyms, documentation),
            ConfigResourceType.Broker => Task.FromResult(DescribeBroker(resource)),
            ConfigResourceType.BrokerLogger => Task.FromResult(Result(resource, ErrorCode.None, null)),
            _ => Task.FromResult(Result(resource, ErrorCode.InvalidRequest, $"Unsupported resource type {resource.ResourceType}.")),
        }));
        return new DescribeConfigsResponse { Results = results.ToList() };
    }

    private async Task<DescribeConfigsResponse.DescribeConfigsResult> DescribeTopicAsync(
        DescribeConfigsRequest.DescribeConfigsResource resource, bool synonyms, bool documentation)
    {
        var described = await grains.GetGrain<ITopicGrain>(resource.ResourceName)
            .DescribeConfigsAsync(resource.ConfigurationKeys, synonyms, documentation);
        var result = Result(resource, described.Error, described.ErrorMessage);
        result.Configs = described.Entries.Select(e => new DescribeConfigsResponse.DescribeConfigsResourceResult
        {
            Name = e.Name,
            Value = e.IsSensitive ? null : e.Value,
            ReadOnly = e.IsReadOnly,
            IsDefault = e.Source == ConfigSource.DefaultConfig,
            ConfigSource = (sbyte)e.Source,
            IsSensitive = e.IsSensitive,
            ConfigType = (sbyte)e.ConfigType,
            Documentation = e.Documentation,
            Synonyms = e.Synonyms.Select(s => new DescribeConfigsResponse.DescribeConfigsSynonym
            {
                Name = s.Name,
                Value = s.Value,
                Source = (sbyte)s.Source,
            }).ToList(),
        }).ToList();
        return result;
    }

    private DescribeConfigsResponse.DescribeConfigsResult DescribeBroker(DescribeConfigsRequest.DescribeConfigsResource resource)
    {
        if (resource.ResourceName != broker.BrokerId.ToString(CultureInfo.InvariantCulture) && resource.ResourceName != "")
        {
            return Result(resource, ErrorCode.InvalidRequest, $"This is broker {broker.BrokerId}, not {resource.ResourceName}.");
        }

        (string Name, string Value, sbyte Type)[] configs =
        [
            ("broker.id", broker.BrokerId.ToString(CultureInfo.InvariantCulture), 3),
            ("node.id", broker.BrokerId.ToString(CultureInfo.InvariantCulture), 3),
            ("advertised.listeners", $"PLAINTEXT://{broker.Host}:{broker.Port}", 7),
            ("auto.create.topics.enable", listener.Value.AutoCreateTopics ? "true" : "false", 1),
            ("default.replication.factor", "1", 3),
            ("log.dirs", settings.LogDirectory, 2),
            ("num.partitions", settings.DefaultPartitions.ToString(CultureInfo.InvariantCulture), 3),
            ("socket.request.max.bytes", listener.Value.MaxRequestBytes.ToString(CultureInfo.InvariantCulture), 3),
        ];
        var result = Result(resource, ErrorCode.None, null);
        result.Configs = configs
            .Where(c => resource.ConfigurationKeys is null || resource.ConfigurationKeys.Contains(c.Name))
            .Select(c => new DescribeConfigsResponse.DescribeConfigsResourceResult
            {
                Name = c.Name,
                Value = c.Value,
                ReadOnly = true,
                ConfigSource = (sbyte)ConfigSource.StaticBrokerConfig,
                ConfigType = c.Type,
                Documentation = null,
            }).ToList();
        return result;
    }

    private static DescribeConfigsResponse.DescribeConfigsResult Result(
        DescribeConfigsRequest.DescribeConfigsResource resource, ErrorCode error, string? message) => new()
    {
        ErrorCode = (short)error,
        ErrorMessage = message,
        ResourceType = resource.ResourceType,
        ResourceName = resource.ResourceName,
    };
}
