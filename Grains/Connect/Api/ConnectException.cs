namespace Tributary.Grains.Connect.Api;

/// <summary>The base of Connect's errors (Kafka's <c>ConnectException</c>); a task that throws it fails.</summary>
public class ConnectException : Exception
{
    public ConnectException(string message) : base(message) { }

    public ConnectException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An error that may pass if the operation is tried again (Kafka's <c>RetriableException</c>): the runtime retries it.</summary>
public class RetriableException : ConnectException
{
    public RetriableException(string message) : base(message) { }

    public RetriableException(string message, Exception inner) : base(message, inner) { }
}
