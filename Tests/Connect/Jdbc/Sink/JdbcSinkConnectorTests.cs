using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Jdbc.Sink;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>The connector's plug-in identity, task configurations and validation across keys.</summary>
public sealed class JdbcSinkConnectorTests
{
    private static Dictionary<string, string> Config(params (string Key, string Value)[] settings)
    {
        var config = new Dictionary<string, string> { ["connection.url"] = "jdbc:sqlite::memory:" };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        return config;
    }

    private static List<string> Errors(IReadOnlyDictionary<string, string> config, string key) =>
        new JdbcSinkConnector().Validate(config).Single(v => v.Name == key).ErrorMessages;

    [Fact]
    public void Plugin_AnswersToConfluentsClassName()
    {
        var attribute = (ConnectPluginAttribute)Attribute.GetCustomAttribute(typeof(JdbcSinkConnector), typeof(ConnectPluginAttribute))!;
        Assert.Equal(["io.confluent.connect.jdbc.JdbcSinkConnector"], attribute.ClassNames);
        Assert.Equal(typeof(JdbcSinkTask), new JdbcSinkConnector().TaskType);
    }

    [Fact]
    public async Task TaskConfigs_AreCopiesOfTheConnectorConfig()
    {
        var connector = new JdbcSinkConnector();
        var config = Config(("topics", "orders"));
        await connector.StartAsync(config, CancellationToken.None);

        var tasks = connector.TaskConfigs(3);

        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(config, t));
    }

    [Fact]
    public void Validate_DeleteEnabledWithoutRecordKey_FlagsBothKeys()
    {
        var config = Config(("delete.enabled", "true"), ("pk.mode", "record_value"));

        Assert.Equal(["Deletes are only supported for pk.mode record_key"], Errors(config, "delete.enabled"));
        Assert.Equal(["Deletes are only supported for pk.mode record_key"], Errors(config, "pk.mode"));
    }

    [Fact]
    public void Validate_DeleteEnabledWithRecordKey_IsClean()
    {
        var values = new JdbcSinkConnector().Validate(Config(("delete.enabled", "true"), ("pk.mode", "RECORD_KEY")));

        Assert.All(values, v => Assert.Empty(v.ErrorMessages));
    }

    [Theory]
    [InlineData("upsert")]
    [InlineData("UPDATE")]
    public void Validate_UpsertOrUpdateWithoutPk_FlagsInsertMode(string mode)
    {
        var errors = Errors(Config(("insert.mode", mode)), "insert.mode");

        Assert.Equal([$"Insert mode {mode.ToLowerInvariant()} requires a pk.mode other than none, to match rows by their key"], errors);
    }

    [Fact]
    public void Validate_UnknownEnumerator_UsesConfluentsMessage()
    {
        Assert.Equal(["Invalid value merge for configuration insert.mode: Invalid enumerator"], Errors(Config(("insert.mode", "merge")), "insert.mode"));
    }

    [Fact]
    public void Config_HasConfluentsDefaults()
    {
        var config = JdbcSinkConfig.Parse(Config());

        Assert.Equal(InsertMode.Insert, config.InsertMode);
        Assert.Equal(PrimaryKeyMode.None, config.PrimaryKeyMode);
        Assert.Equal(3000, config.BatchSize);
        Assert.Equal(10, config.MaxRetries);
        Assert.Equal(3000, config.RetryBackoffMs);
        Assert.Equal("${topic}", config.TableNameFormat);
        Assert.Equal(["TABLE"], config.TableTypes);
        Assert.False(config.DeleteEnabled || config.AutoCreate || config.AutoEvolve || config.TrimSensitiveLog);
        Assert.Empty(config.PkFields);
        Assert.Empty(config.FieldsWhitelist);
    }

    [Fact]
    public void Config_DeleteEnabledWithoutRecordKey_IsRefusedAtParse()
    {
        var error = Assert.Throws<ConfigException>(() => JdbcSinkConfig.Parse(Config(("delete.enabled", "true"))));

        Assert.Equal("Primary key mode must be 'record_key' when delete support is enabled", error.Message);
    }
}
