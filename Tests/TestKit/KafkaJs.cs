using System.Text.Json;

namespace Tributary.Tests.TestKit;

/// <summary>
/// kafkajs, the Node.js Kafka client, driven from tests for the admin APIs that librdkafka (and so Confluent.Kafka)
/// does not have, such as AlterPartitionReassignments: a script body runs with a connected <c>admin</c> client, and
/// what it returns comes back as JSON. kafkajs is installed into <c>.tools</c> from npm on first use.
/// </summary>
public static class KafkaJs
{
    public const string Version = "2.2.4";

    private const string Script = """
        const { Kafka, logLevel } = require('kafkajs');
        const sasl = process.env.SASL_MECHANISM
          ? { mechanism: process.env.SASL_MECHANISM, username: process.env.SASL_USERNAME, password: process.env.SASL_PASSWORD }
          : undefined;
        const ssl = process.env.SSL_CA ? { ca: [require('fs').readFileSync(process.env.SSL_CA, 'utf8')] } : undefined;
        const kafka = new Kafka({ clientId: 'tributary-tests', brokers: process.env.BOOTSTRAP.split(','), logLevel: logLevel.NOTHING, sasl, ssl });
        const admin = kafka.admin();
        (async () => {
          await admin.connect();
          try {
            const result = await (async () => { BODY })();
            process.stdout.write(JSON.stringify(result === undefined ? null : result));
          } finally {
            await admin.disconnect();
          }
        })().catch(e => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); });
        """;

    /// <summary>
    /// Runs <paramref name="body"/> (JavaScript statements that may <c>await</c> and use <c>admin</c>, ending with a
    /// <c>return</c> of what the test reads) against <paramref name="bootstrap"/>; its result as JSON. Throws with
    /// kafkajs's error when the script fails. With <paramref name="sasl"/> the client authenticates with kafkajs's own
    /// SASL client (mechanism as kafkajs names it: plain, scram-sha-256, scram-sha-512); with
    /// <paramref name="sslCaFile"/> it connects over TLS, trusting the certificates of that PEM file.
    /// </summary>
    public static async Task<JsonElement> AdminAsync(
        string bootstrap, string body, TimeSpan? timeout = null, (string Mechanism, string User, string Password)? sasl = null, string? sslCaFile = null)
    {
        var modules = await Prerequisites.NpmLibraryAsync("kafkajs", Version);
        var environment = new Dictionary<string, string> { ["BOOTSTRAP"] = bootstrap };
        if (sasl is { } credentials)
        {
            environment["SASL_MECHANISM"] = credentials.Mechanism;
            environment["SASL_USERNAME"] = credentials.User;
            environment["SASL_PASSWORD"] = credentials.Password;
        }

        if (sslCaFile is not null)
        {
            environment["SSL_CA"] = sslCaFile;
        }

        return await NodeScript.RunAsync(modules, Script.Replace("BODY", body, StringComparison.Ordinal), environment, timeout ?? TimeSpan.FromSeconds(60));
    }
}
