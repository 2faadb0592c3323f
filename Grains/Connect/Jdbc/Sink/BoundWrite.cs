namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>One Put's records bound into their tables' flushes, ready for <see cref="JdbcDbWriter.ExecuteAsync"/>.</summary>
public sealed record BoundWrite(int Count, IReadOnlyCollection<BufferedRecords> Tables);
