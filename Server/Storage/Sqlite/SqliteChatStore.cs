using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>SQLite in WAL mode. One writer connection commits queued commands in batches (group commit):
/// each command runs in its own savepoint, the batch commits once, and only then are callers completed and
/// after-commit actions (event publishing) run, in commit order.</summary>
public sealed class SqliteChatStore : IChatStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteOptions _options;
    private readonly Observability.ChatMetrics? _metrics;
    private readonly ILogger<SqliteChatStore> _logger;
    private readonly string _readConnectionString;
    private const int MaxPooledReaders = 32;
    private readonly SqliteConnection _writeConnection;
    private readonly StatementCache _writeStatements;
    private readonly System.Collections.Concurrent.ConcurrentBag<StatementCache> _readers = [];
    private readonly SingleWriterQueue _writer;
    private int _disposed;

    public SqliteChatStore(IOptions<SqliteOptions> options, ILogger<SqliteChatStore> logger, Observability.ChatMetrics? metrics = null)
    {
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        var path = System.IO.Path.GetFullPath(_options.Path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 };
        _readConnectionString = builder.ToString();

        _writeConnection = new SqliteConnection(new SqliteConnectionStringBuilder(builder.ToString()) { Pooling = false }.ToString());
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            _writeConnection.Open();
            Pragma(_writeConnection, "journal_mode = WAL");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            _writeConnection.Dispose();
            throw new StorageConfigurationException(
                $"Storage:Sqlite:Path is '{path}': the server cannot create or write that database file there ({ex.Message.TrimEnd('.')}). Point it at a writable folder.");
        }
        Pragma(_writeConnection, $"synchronous = {SynchronousMode(_options.Synchronous)}");
        Pragma(_writeConnection, "busy_timeout = 10000");
        Pragma(_writeConnection, "foreign_keys = ON");
        SqliteSchema.Migrate(_writeConnection);
        _writeStatements = new StatementCache(_writeConnection);

        _writer = new SingleWriterQueue(_options.MaxQueuedCommands, _options.MaxBatchSize, CommitBatch);
    }

    public Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(Read(query));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private T Read<T>(Func<IStoreReader, ValueTask<T>> query)
    {
        // Our own pool of open read connections, each keeping its prepared statements.
        var reader = _readers.TryTake(out var pooled) ? pooled : OpenReader();
        try
        {
            // A deferred transaction gives the query one consistent snapshot (WAL) without taking the write lock.
            using var snapshot = reader.Connection.BeginTransaction(deferred: true);
            return SingleWriterQueue.Complete(query(new SqliteSession(reader, snapshot, isWriter: false)));
        }
        finally
        {
            if (Volatile.Read(ref _disposed) == 0 && _readers.Count < MaxPooledReaders) _readers.Add(reader);
            else reader.Dispose();
        }
    }

    private StatementCache OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return new StatementCache(connection);
    }

    public Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(command, cancellationToken);

    private void CommitBatch(List<SingleWriterQueue.PendingWrite> batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        AfterCommitActions afterCommit;
        try
        {
            using var transaction = _writeConnection.BeginTransaction();
            var session = new SqliteSession(_writeStatements, transaction, isWriter: true);
            foreach (var write in batch) RunInSavepoint(write, session, transaction);
            transaction.Commit();
            afterCommit = session.AfterCommitActions;
        }
        catch (Exception ex)
        {
            // The commit itself failed (disk full, I/O error): nothing of this batch is durable.
            _logger.LogError(ex, "Group commit of {Count} commands failed", batch.Count);
            foreach (var write in batch)
                write.Done.TrySetException(new ChatException(ErrorCodes.Unavailable, "the store could not commit; try again"));
            return;
        }

        _metrics?.Committed("sqlite", System.Diagnostics.Stopwatch.GetElapsedTime(started), batch.Count);
        afterCommit.RunAll(_logger);
        foreach (var write in batch)
        {
            if (write.Failure is not null) write.Done.TrySetException(write.Failure);
            else write.Done.TrySetResult(write.Result);
        }
    }

    private void RunInSavepoint(SingleWriterQueue.PendingWrite write, SqliteSession session, SqliteTransaction transaction)
    {
        // Savepoints as cached statements: three per command, on the writer's hottest path.
        void Run(string sql) => _writeStatements.Prepare(sql, transaction, []).ExecuteNonQuery();
        Run("SAVEPOINT command;");
        session.AfterCommitActions.BeginCommand();
        try
        {
            write.Result = write.Command(session);
            Run("RELEASE command;");
        }
        catch (Exception ex)
        {
            Run("ROLLBACK TO command;");
            Run("RELEASE command;");
            session.AfterCommitActions.DiscardCommand();
            write.Failure = ex;
        }
    }

    /// <summary>Graceful shutdown: no new commands; the queued ones commit before the store closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _writer.CompleteAsync();
        _writeStatements.Dispose();
        while (_readers.TryTake(out var reader)) reader.Dispose();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Pragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        command.ExecuteNonQuery();
    }

    private static string SynchronousMode(string value) => value.ToUpperInvariant() switch
    {
        "OFF" or "NORMAL" or "FULL" or "EXTRA" => value.ToUpperInvariant(),
        _ => throw new InvalidOperationException($"Storage:Sqlite:Synchronous must be OFF, NORMAL, FULL or EXTRA, not '{value}'."),
    };
}
