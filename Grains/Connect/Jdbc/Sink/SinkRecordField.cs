using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>One column the sink writes (kafka-connect-jdbc's <c>SinkRecordField</c>): its name, the Connect schema its values have, and whether it is part of the primary key.</summary>
public sealed record SinkRecordField(string Name, ConnectSchema Schema, bool IsPrimaryKey)
{
    public override string ToString() => $"SinkRecordField{{schema={Schema}, name='{Name}', isPrimaryKey={IsPrimaryKey.ToString().ToLowerInvariant()}}}";
}
