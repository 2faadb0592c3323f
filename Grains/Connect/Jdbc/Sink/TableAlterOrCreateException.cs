using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// The destination table does not fit the records and the sink may not or cannot make it fit (kafka-connect-jdbc's
/// <c>TableAlterOrCreateException</c>): a missing table without <c>auto.create</c>, missing columns without
/// <c>auto.evolve</c>, a required column to add. It concerns the records of one schema, so they can be reported as
/// errant one by one instead of failing the task.
/// </summary>
public sealed class TableAlterOrCreateException : ConnectException
{
    public TableAlterOrCreateException(string message) : base(message) { }

    public TableAlterOrCreateException(string message, Exception inner) : base(message, inner) { }
}
