using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Tests.Connect.Converters;

/// <summary>
/// Equality of Connect data for assertions: schemas by value, values deeply (lists, maps and byte arrays by content),
/// which a record's own equality does not give for the collections inside a <see cref="SchemaAndValue"/>.
/// </summary>
internal static class ConnectAssert
{
    public static void Equal(SchemaAndValue expected, SchemaAndValue? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Schema, actual.Schema);
        Assert.True(
            ConnectValues.AreEqual(expected.Value, actual.Value),
            $"Expected value {ConnectValues.Format(expected.Value)} but was {ConnectValues.Format(actual.Value)}");
        if (expected.Value is not null)
        {
            Assert.IsType(expected.Value.GetType(), actual.Value, exactMatch: false);
        }
    }
}
