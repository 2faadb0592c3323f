using System.Diagnostics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Spans of the log's own work, <c>log append</c> (a leader's append, its fsync included when the log is durable) and
/// <c>log read</c> (a consumer's read), children of whatever request or grain call is current, started by the log's
/// callers. Nothing is created unless a tracer listens to <see cref="SourceName"/>.
/// </summary>
public static class LogTracing
{
    public const string SourceName = "Tributary.Log";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartAppend(string topicPartition, int bytes, AppendOrigin origin)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("log append");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("kafka.partition.log", topicPartition);
            activity.SetTag("kafka.append.bytes", bytes);
            activity.SetTag("kafka.append.origin", origin.ToString());
        }

        return activity;
    }

    /// <summary>Tags the append's span with its outcome.</summary>
    public static void Appended(Activity? activity, LogAppendResult result)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        if (result.Error != ErrorCode.None)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Error.ToString());
            activity.SetTag("error.type", result.Error.ToString());
        }
        else
        {
            activity.SetTag("kafka.append.base_offset", result.BaseOffset);
            activity.SetTag("kafka.append.records", result.RecordCount);
        }
    }

    public static Activity? StartRead(string topicPartition, long offset, int maxBytes)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("log read");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("kafka.partition.log", topicPartition);
            activity.SetTag("kafka.read.offset", offset);
            activity.SetTag("kafka.read.max_bytes", maxBytes);
        }

        return activity;
    }

    /// <summary>Tags the read's span with its outcome; returns the read.</summary>
    public static LogReadResult Read(Activity? activity, LogReadResult result)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return result;
        }

        if (result.Error != ErrorCode.None)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Error.ToString());
            activity.SetTag("error.type", result.Error.ToString());
        }
        else
        {
            activity.SetTag("kafka.read.bytes", result.Records.Length);
            activity.SetTag("kafka.high_watermark", result.HighWatermark);
        }

        return result;
    }
}
