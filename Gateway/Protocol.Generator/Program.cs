using System.Text;
using Tributary.Gateway.Protocol.Generator;

// Generates the Kafka message classes from Apache Kafka's JSON message definitions: requests, responses and headers
// into the gateway's codec (Tributary.Gateway.Protocol.Messages), the "data" payloads that engines read and write too
// (the consumer protocol's) into the shared formats (Tributary.Grains.KafkaFormats.Messages).
//   dotnet run --project Gateway/Protocol.Generator -- <definitions directory> Gateway/Protocol/Messages Grains/KafkaFormats/Messages
// The output is committed; run again when the definitions, their Kafka release or the list below change.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Tributary.Gateway.Protocol.Generator <definitions directory> <messages directory> <data directory>");
    return 2;
}

var (definitions, output, dataOutput) = (args[0], args[1], args[2]);

// The APIs clients use (kafka-wire.md §5), and the headers and consumer-protocol payloads.
short[] apiKeys = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33, 35, 36, 37, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 60, 61, 65, 66, 74, 75];
string[] extra = ["RequestHeader", "ResponseHeader", "ConsumerProtocolSubscription", "ConsumerProtocolAssignment"];

var specs = Directory.EnumerateFiles(definitions, "*.json")
    .Select(path => (Path: path, Spec: MessageSpec.Load(path)))
    .Where(m => (m.Spec.ApiKey is { } key && apiKeys.Contains(key) && m.Spec.Type is "request" or "response") || extra.Contains(m.Spec.Name))
    .OrderBy(m => m.Spec.Name, StringComparer.Ordinal)
    .ToList();

foreach (var directory in new[] { output, dataOutput })
{
    Directory.CreateDirectory(directory);
    foreach (var stale in Directory.EnumerateFiles(directory, "*.g.cs"))
    {
        File.Delete(stale);
    }
}

foreach (var (path, spec) in specs)
{
    var (directory, ns) = spec.Type == "data"
        ? (dataOutput, "Tributary.Grains.KafkaFormats.Messages")
        : (output, "Tributary.Gateway.Protocol.Messages");
    // The API's messages are framed, so they know their size; the payloads are written into byte arrays.
    File.WriteAllText(Path.Combine(directory, spec.Name + ".g.cs"), new Emitter(spec, ns, sized: spec.Type != "data").Emit(Path.GetFileName(path)));
}

File.WriteAllText(Path.Combine(output, "ApiMessages.g.cs"), ApiTable.Emit(specs.Select(s => s.Spec).ToList()));
Console.WriteLine($"Generated {specs.Count} messages of Apache Kafka {KafkaRelease.Version} into {output} and {dataOutput}");
return 0;
