namespace Tributary.Grains.Connect.Api.Data;

/// <summary>A value that does not fit its schema, or a schema used wrongly (Kafka's <c>DataException</c>).</summary>
public class DataException : ConnectException
{
    public DataException(string message) : base(message) { }

    public DataException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A schema built wrongly (Kafka's <c>SchemaBuilderException</c>).</summary>
public sealed class SchemaBuilderException : DataException
{
    public SchemaBuilderException(string message) : base(message) { }

    public SchemaBuilderException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A value that cannot be projected from its schema to another (Kafka's <c>SchemaProjectorException</c>).</summary>
public sealed class SchemaProjectorException : DataException
{
    public SchemaProjectorException(string message) : base(message) { }
}
