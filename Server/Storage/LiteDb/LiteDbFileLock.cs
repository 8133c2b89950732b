namespace ChatHub.Server.Storage.LiteDb;

/// <summary>"&lt;file&gt;.lock", held open with FileShare.None while a store runs on the file: .NET takes an exclusive
/// flock on it, so a second process (or a second store in this process) on the same file is refused. LiteDB itself
/// takes only shared locks, and two writers on one file would corrupt it.</summary>
internal sealed class LiteDbFileLock : IDisposable
{
    private readonly FileStream _held;

    private LiteDbFileLock(FileStream held) => _held = held;

    public static LiteDbFileLock Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        try
        {
            return new LiteDbFileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new StorageConfigurationException(
                $"the LiteDB file {databasePath} is in use by another ChatHub process or store ({lockPath} is locked): LiteDB allows one process per file (Storage:LiteDb:Path).");
        }
    }

    public void Dispose() => _held.Dispose();
}
