namespace Tributary.Gateway.Kafka.Transactions;

/// <summary>
/// Kafka refuses transactional requests with an empty transactional id (INVALID_REQUEST). An id of only white space is
/// refused the same way here, where Kafka would accept it: it names its coordinator grain, and an Orleans grain's key
/// cannot be blank.
/// </summary>
internal static class TransactionalIds
{
    public static bool IsValid(string? transactionalId) => !string.IsNullOrWhiteSpace(transactionalId);
}
