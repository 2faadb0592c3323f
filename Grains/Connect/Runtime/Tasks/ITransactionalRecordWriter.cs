namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// A record writer whose writes belong to a transaction (an exactly-once source task's, KIP-618): records and the source
/// offsets they reach are written in one transaction, which <see cref="CommitAsync"/> makes visible to read_committed
/// consumers at once. The first <see cref="IRecordWriter.WriteAsync"/> after a commit or abort opens the next one.
/// Starting the writer fences any older instance of the same task (a zombie): its transaction can no longer commit.
/// </summary>
public interface ITransactionalRecordWriter : IRecordWriter
{
    /// <summary>Takes the task's transactional id, fencing its older instances and aborting what they left open.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Whether records were written since the last commit or abort.</summary>
    bool InTransaction { get; }

    Task CommitAsync(CancellationToken cancellationToken);

    Task AbortAsync(CancellationToken cancellationToken);
}
