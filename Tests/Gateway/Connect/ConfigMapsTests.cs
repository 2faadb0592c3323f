using System.Text.Json;
using Tributary.Gateway.Connect;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>Connector configs read as Jackson reads a map of strings: scalars as their text, objects, arrays and nulls refused.</summary>
public sealed class ConfigMapsTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void NumbersAndBooleans_AreTakenAsTheirText()
    {
        var config = ConfigMaps.Read(Json("""{"tasks.max": 2, "ratio": 1.50, "big": 1e3, "on": true, "off": false, "s": "x"}"""), "config", out var error);

        Assert.Null(error);
        Assert.Equal(
            new Dictionary<string, string> { ["tasks.max"] = "2", ["ratio"] = "1.50", ["big"] = "1e3", ["on"] = "true", ["off"] = "false", ["s"] = "x" },
            config);
    }

    [Theory]
    [InlineData("""{"a": null}""", "The value of 'a' in the config may not be null")]
    [InlineData("""{"a": {"b": "c"}}""", "The value of 'a' in the config must be a string, not an object")]
    [InlineData("""{"a": ["b"]}""", "The value of 'a' in the config must be a string, not an array")]
    [InlineData("""["a"]""", "The config must be a JSON object of strings, not an array")]
    [InlineData("null", "The config must be a JSON object of strings, not null")]
    public void WhatIsNotAStringOrScalar_IsRefused(string json, string expected)
    {
        Assert.Null(ConfigMaps.Read(Json(json), "config", out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void APatch_KeepsNulls_ForTheKeysItRemoves()
    {
        var patch = ConfigMaps.ReadPatch(Json("""{"remove.me": null, "tasks.max": 3}"""), "patch", out var error);

        Assert.Null(error);
        Assert.Equal(new Dictionary<string, string?> { ["remove.me"] = null, ["tasks.max"] = "3" }, patch);
    }

    [Fact]
    public void OfAKeyGivenTwice_TheLastWins() =>
        Assert.Equal("2", ConfigMaps.Read(Json("""{"a": "1", "a": "2"}"""), "config", out _)!["a"]);
}
