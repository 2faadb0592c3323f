namespace Tributary.Gateway.Protocol;

/// <summary>A response that carries error codes (generated for every response that has an <c>ErrorCode</c> field, at any depth).</summary>
public interface IErrorCodeResponse
{
    /// <summary>Adds every error code the response carries at <paramref name="version"/> to <paramref name="counts"/>, as Kafka's <c>errorCounts()</c>.</summary>
    void CountErrors(ErrorCodeCounts counts, short version);
}
