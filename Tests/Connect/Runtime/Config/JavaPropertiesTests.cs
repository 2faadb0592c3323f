using Tributary.Grains.Connect.Runtime.Config;

namespace Tributary.Tests.Connect.Runtime.Config;

public sealed class JavaPropertiesTests
{
    [Fact]
    public void KafkasQuickstartFile_IsReadAsJavaReadsIt()
    {
        const string text = """
            # Licensed to the Apache Software Foundation (ASF)
            ! another comment
            name=local-file-source
            connector.class = FileStreamSource
            tasks.max: 1
            file test.txt
            topic=connect-test
            """;

        var config = JavaProperties.Parse(text);

        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = "local-file-source",
            ["connector.class"] = "FileStreamSource",
            ["tasks.max"] = "1",
            ["file"] = "test.txt",
            ["topic"] = "connect-test",
        }, config);
    }

    [Fact]
    public void ContinuationsEscapesAndEmptyValues_FollowJavaProperties()
    {
        const string text = "transforms=a,\\\n    b\r\nkey\\ with\\=signs=v\\u00e9\\t!\nempty=\npath=C:\\\\data\\\\x\nlast=wins\nlast=again";

        var config = JavaProperties.Parse(text);

        Assert.Equal("a,b", config["transforms"]);
        Assert.Equal("v\u00e9\t!", config["key with=signs"]);
        Assert.Equal("", config["empty"]);
        Assert.Equal(@"C:\data\x", config["path"]);
        Assert.Equal("again", config["last"]);
    }

    [Fact]
    public void AConfigFile_InJson_MayBeTheRestBodyOrAFlatMap()
    {
        using var directory = new TempDirectory();
        var wrapped = Path.Combine(directory.Path, "wrapped.json");
        File.WriteAllText(wrapped, """{"name": "sink", "config": {"connector.class": "FileStreamSink", "tasks.max": 2, "topics": "t"}}""");
        var flat = Path.Combine(directory.Path, "flat.json");
        File.WriteAllText(flat, """{"name": "src", "connector.class": "FileStreamSource", "topic": "t"}""");

        var (name, config) = ConnectorConfigFile.Read(wrapped);
        Assert.Equal("sink", name);
        Assert.Equal("2", config["tasks.max"]);
        Assert.Equal("sink", config["name"]);
        Assert.Equal("src", ConnectorConfigFile.Read(flat).Name);
    }

    [Fact]
    public void AConfigFile_WithoutAName_IsRefused()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "nameless.properties");
        File.WriteAllText(path, "connector.class=FileStreamSource\n");

        var error = Assert.Throws<Tributary.Grains.Connect.Api.Config.ConfigException>(() => ConnectorConfigFile.Read(path));
        Assert.Contains("has no 'name'", error.Message);
    }
}
