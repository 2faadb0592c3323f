namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// An instance's hold on <c>&lt;state.dir&gt;/&lt;application.id&gt;</c> (Kafka's <c>StateDirectory</c> lock): two
/// instances of one application in one directory would open the same task stores, so the second fails at start.
/// An exclusive open of a lock file; the system lets go of it when the process dies, even by <c>kill -9</c>.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private StateDirectoryLock(FileStream file) => _file = file;

    public static StateDirectoryLock Acquire(string applicationDirectory)
    {
        Directory.CreateDirectory(applicationDirectory);
        var path = Path.Combine(applicationDirectory, ".lock");
        try
        {
            return new StateDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new StreamsException(
                $"Unable to initialize state, this can happen if multiple instances of Kafka Streams are running in the same state directory ({applicationDirectory}); give each its own state.dir",
                e);
        }
    }

    public void Dispose() => _file.Dispose();
}
