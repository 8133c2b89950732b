using LiteDB;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>LiteDB 5 on one file, one process. The group commit (<see cref="GroupCommit"/>) runs each batch to its end on the
/// thread of the caller that runs it (flat combining; LiteDB binds a transaction to its thread): a batch's commands run
/// in one LiteDB transaction (a failing one still rolls back alone: <see cref="LiteDbWrites"/>), then ONE fsync of
/// LiteDB's log makes the whole batch durable, and only then are callers completed and after-commit actions run, in commit order.
/// LiteDB 5.0.21 writes its log on commit without flushing it (litedb-org/LiteDB#2818; it fsyncs only the data file,
/// at checkpoints), hence the fsync here. Reads run in a LiteDB read transaction on the caller's thread: a snapshot,
/// which neither waits for the writer's fsync nor holds it up.</summary>
public sealed class LiteDbChatStore : IChatStore, IAsyncDisposable, IDisposable
{
    // LiteDB refuses more than 100 open transactions; the writer needs one.
    private const int MaxConcurrentReads = 64;
    private readonly LiteDbOptions _options;
    private readonly ILogger<LiteDbChatStore> _logger;
    private readonly LiteDbFileLock _fileLock;
    private readonly LiteDatabase _db;
    private readonly FileStream _log;
    private readonly LiteDbIds _ids;
    private readonly SemaphoreSlim _readSlots = new(MaxConcurrentReads);
    // LiteDB takes a transaction's snapshot of each collection when it first reads it: a read opens all of its
    // snapshots under this gate, which each commit holds exclusively, so that they all see the same commits.
    private readonly ReaderWriterLockSlim _commitGate = new();
    private readonly GroupCommit _writer;
    private int _disposed;

    public LiteDbChatStore(IOptions<LiteDbOptions> options, ILogger<LiteDbChatStore> logger, Observability.ChatMetrics? metrics = null)
    {
        _options = options.Value;
        _logger = logger;
        var path = Path.GetFullPath(_options.Path);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        _fileLock = LiteDbFileLock.Acquire(path);
        try
        {
            // The log LiteDB appends commits to ("<name>-log<ext>"): created here so that this store holds a handle to
            // fsync it through, and its directory entry is made durable once.
            _log = new FileStream(LogPath(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            // Binary collation: string keys compare ordinally, case included (LiteDB's default ignores case).
            _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, Collation = Collation.Binary });
            if (_db.Collation.SortOptions != System.Globalization.CompareOptions.Ordinal)
                throw new StorageConfigurationException(
                    $"the LiteDB file {path} was created with collation {_db.Collation}, not binary: lookups would ignore case (Storage:LiteDb:Path).");
            LiteDbSchema.Migrate(_db);
            FileSync.Directory(directory);
            _ids = new LiteDbIds(_db);
        }
        catch
        {
            _db?.Dispose();
            _log?.Dispose();
            _fileLock.Dispose();
            throw;
        }

        _writer = GroupCommit.StartBlocking("litedb", _options.MaxQueuedCommands, _options.MaxBatchSize,
            afterCommit => new(new WriteBatch(this, new LiteDbSession(_db, _ids, afterCommit))), CheckpointIfTheLogIsLarge, _logger, metrics);
    }

    internal static string LogPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    public async Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query, CancellationToken cancellationToken = default)
    {
        await _readSlots.WaitAsync(cancellationToken);
        try
        {
            return Read(query);
        }
        finally
        {
            _readSlots.Release();
        }
    }

    private T Read<T>(Func<IStoreReader, ValueTask<T>> query)
    {
        // A transaction on this thread already (a read inside an after-commit action of the writer is not one):
        // join it rather than end it.
        var began = _db.BeginTrans();
        try
        {
            var session = new LiteDbSession(_db, ids: null, afterCommit: null);
            _commitGate.EnterReadLock();
            try { session.OpenSnapshots(); }
            finally { _commitGate.ExitReadLock(); }
            return ThreadPump.Run(() => query(session));
        }
        finally
        {
            if (began) _db.Rollback();
        }
    }

    public Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(command, cancellationToken);

    /// <summary>A batch of commands in one LiteDB transaction on the thread running the batch, so that each page the
    /// batch touches is written to the log once; a failing command still rolls back alone (<see cref="LiteDbWrites"/>).
    /// One fsync of the log makes the batch durable.</summary>
    private sealed class WriteBatch(LiteDbChatStore store, LiteDbSession session) : IWriteBatch
    {
        private bool _inTransaction;
        private bool _anyCommand;

        public IStoreTransaction Session => session;

        public ValueTask BeginCommandAsync()
        {
            if (_inTransaction) return default;
            // LiteDB binds a transaction to its thread: the batch's runs on the thread that runs the batch.
            if (!store._db.BeginTrans()) throw new InvalidOperationException("the writer's thread is inside a transaction already");
            _inTransaction = true;
            return default;
        }

        public ValueTask EndCommandAsync()
        {
            session.Writes.EndCommand();
            _anyCommand = true;
            if (session.Writes.IsLarge) Commit();
            return default;
        }

        /// <summary>Nothing to do for a command that wrote nothing, unless LiteDB rolled the transaction back on an
        /// error of its own (BeginTrans then starts a new one); otherwise the transaction is rolled back and the
        /// writes of the batch's earlier commands are applied again in a new one. A failure here fails the batch.</summary>
        public ValueTask UndoCommandAsync()
        {
            var lost = store._db.BeginTrans();
            if (!lost && session.Writes.RunningWroteNothing) return default;
            if (!lost)
            {
                store._db.Rollback();
                store._db.BeginTrans();
            }
            session.Writes.ReplaySucceeded();
            return default;
        }

        /// <summary>The group commit: one LiteDB commit (its pages appended to the log), then one fsync of the log.
        /// Committed in LiteDB but not known to be on disk when it fails: nobody is told it was stored.</summary>
        public ValueTask CommitAsync()
        {
            if (_inTransaction) Commit();
            if (_anyCommand) store._log.Flush(flushToDisk: true);
            return default;
        }

        private void Commit()
        {
            _inTransaction = false;
            store._commitGate.EnterWriteLock();
            try { store._db.Commit(); }
            finally { store._commitGate.ExitWriteLock(); }
            session.Writes.Clear();
        }

        public bool MayRetry(Exception error) => false;

        public ValueTask DisposeAsync()
        {
            // A batch that failed before its commit (the commit itself, a replay): nothing of it stays.
            if (_inTransaction)
            {
                try { store._db.Rollback(); }
                catch (Exception rollback) { store._logger.LogError(rollback, "Rollback of a failed batch failed"); }
            }
            return default;
        }
    }

    /// <summary>LiteDB's own checkpoint (at 1000 log pages) gives way to any open read; a log that grew past the
    /// limit all the same is checkpointed here, waiting for the reads of the moment.</summary>
    private void CheckpointIfTheLogIsLarge()
    {
        try
        {
            if (_log.Length > _options.ForcedCheckpointLogBytes) _db.Checkpoint();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Checkpoint failed");
        }
    }

    /// <summary>Graceful shutdown: no new commands; the queued ones commit before the store closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _writer.CompleteAsync();
        _db.Dispose();
        _log.Dispose();
        _fileLock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
