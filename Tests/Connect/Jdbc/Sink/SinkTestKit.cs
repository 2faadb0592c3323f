using System.Data.Common;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Sink;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>Records, configurations and read-backs the sink tests share.</summary>
internal static class SinkTestKit
{
    public static readonly ConnectSchema PersonSchema = SchemaBuilder.Struct().WithName("person")
        .Field("id", ConnectSchema.Int32)
        .Field("name", ConnectSchema.String)
        .Field("age", ConnectSchema.OptionalInt32)
        .Build();

    public static readonly ConnectSchema IdKeySchema = SchemaBuilder.Struct().WithName("key").Field("id", ConnectSchema.Int32).Build();

    public static Struct Person(int id, string name, int? age = null) =>
        new Struct(PersonSchema).Put("id", id).Put("name", name).Put("age", age);

    public static Struct IdKey(int id) => new Struct(IdKeySchema).Put("id", id);

    public static SinkRecord Record(string topic, long offset, ConnectSchema? keySchema, object? key, ConnectSchema? valueSchema, object? value) =>
        new(topic, 0, keySchema, key, valueSchema, value, offset, timestamp: 1_700_000_000_000 + offset, TimestampType.CreateTime);

    public static SinkRecord PersonRecord(string topic, long offset, int id, string name, int? age = null) =>
        Record(topic, offset, IdKeySchema, IdKey(id), PersonSchema, Person(id, name, age));

    public static Dictionary<string, string> Config(string url, params (string Key, string Value)[] settings)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "jdbc-sink",
            ["connection.url"] = url,
            ["connection.attempts"] = "1",
            ["connection.backoff.ms"] = "10",
            ["retry.backoff.ms"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        return config;
    }

    public static async Task<(JdbcSinkTask Task, TestSinkTaskContext Context)> StartAsync(
        IReadOnlyDictionary<string, string> config, IErrantRecordReporter? reporter = null)
    {
        var task = new JdbcSinkTask();
        var context = new TestSinkTaskContext(config, reporter);
        task.Initialize(context);
        await task.StartAsync(config, CancellationToken.None);
        return (task, context);
    }

    /// <summary>Puts the records, flushes as the runtime would before committing, and stops the task.</summary>
    public static async Task PutAllAsync(IReadOnlyDictionary<string, string> config, params SinkRecord[] records)
    {
        var (task, _) = await StartAsync(config);
        try
        {
            await task.PutAsync(records, CancellationToken.None);
            await task.FlushAsync(new Dictionary<Tributary.Grains.Connect.Api.Connector.TopicPartition, long>(), CancellationToken.None);
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Puts records the database refuses and returns the retry asked for, with what the runtime would hand again: a
    /// write may go on after its Put returns, and then the next Put (an empty one here, as the runtime makes) asks.
    /// </summary>
    public static async Task<(RetriableException Error, SinkRecord[] HandedAgain)> PutUntilARetryAsync(SinkTask task, SinkRecord[] records)
    {
        try
        {
            await task.PutAsync(records, CancellationToken.None);
        }
        catch (RetriableException e)
        {
            return (e, records);
        }

        return (await Assert.ThrowsAsync<RetriableException>(() => task.PutAsync([], CancellationToken.None)), []);
    }

    /// <summary>Puts records the database refuses, with retries spent, and returns the error, from that Put or the next.</summary>
    public static async Task<Exception> PutUntilRefusedAsync(SinkTask task, SinkRecord[] records)
    {
        try
        {
            await task.PutAsync(records, CancellationToken.None);
        }
        catch (Exception e)
        {
            return e;
        }

        return await Assert.ThrowsAnyAsync<Exception>(() => task.PutAsync([], CancellationToken.None));
    }

    /// <summary>Every row <paramref name="sql"/> returns, each as its columns' values (DBNull as null), joined by '|'.</summary>
    public static async Task<List<string>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            rows.Add(string.Join('|', values));
        }

        return rows;
    }
}
