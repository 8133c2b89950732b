using ChatHub.Server.Storage.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>SQLite in WAL mode, through the SQL layer (<see cref="SqlSession"/>, <see cref="SqliteDialect"/>). One writer
/// connection runs the group commit (<see cref="GroupCommit"/>), each batch on the thread of the caller that runs it
/// (flat combining, blocking: the COMMIT's fsync included): each command in a savepoint of the batch's transaction, whose COMMIT is durable (synchronous=FULL fsyncs it) before anyone hears of it. Reads run on
/// pooled connections, each in a deferred transaction (one WAL snapshot), with its own prepared statements.</summary>
public sealed class SqliteChatStore : IChatStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteOptions _options;
    private readonly ILogger<SqliteChatStore> _logger;
    private readonly string _readConnectionString;
    private const int MaxPooledReaders = 32;
    private readonly SqliteConnection _writeConnection;
    private readonly StatementCache _writeStatements;
    private readonly System.Collections.Concurrent.ConcurrentBag<StatementCache> _readers = [];
    private readonly GroupCommit _writer;
    private int _disposed;

    public SqliteChatStore(IOptions<SqliteOptions> options, ILogger<SqliteChatStore> logger, Observability.ChatMetrics? metrics = null)
    {
        _options = options.Value;
        _logger = logger;
        // Before any connection opens: the first read sets the library up (SqliteLibrary).
        if (!SqliteLibrary.Configured)
            _logger.LogInformation("SQLite was initialized before the store opened: it stays in serialized mode, which only costs CPU");
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
        // Each command of a batch runs in a savepoint, whose journal SQLite moves to a temporary file past 64 KB: kept in
        // memory, the writer spent ~20 % less CPU per command (issue 22, docs/performance.md). Set after the migrations,
        // whose index builds may sort more than memory should hold.
        Pragma(_writeConnection, "temp_store = MEMORY");
        _writeStatements = new StatementCache(_writeConnection);

        _writer = GroupCommit.StartBlocking(SqliteDialect.Instance.Name, _options.MaxQueuedCommands, _options.MaxBatchSize, BeginBatch,
            afterBatch: null, _logger, metrics);
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
            reader.Transaction = snapshot;
            // SQLite answers synchronously: the query's task is complete unless it awaited something else.
            var pending = query(new SqlSession(SqliteDialect.Statements, reader, afterCommit: null));
            return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
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

    private ValueTask<IWriteBatch> BeginBatch(AfterCommitActions afterCommit)
    {
        _writeStatements.Transaction = _writeConnection.BeginTransaction();
        return new(new WriteBatch(_writeStatements, new SqlSession(SqliteDialect.Statements, _writeStatements, afterCommit)));
    }

    /// <summary>One batch in one transaction of the writer's connection; a command in a savepoint, its statements cached
    /// as any other (three per command, on the writer's hottest path).</summary>
    private sealed class WriteBatch(StatementCache statements, SqlSession session) : IWriteBatch
    {
        public IStoreTransaction Session => session;
        public ValueTask BeginCommandAsync() => Run("SAVEPOINT command;");
        public ValueTask EndCommandAsync() => Run("RELEASE command;");

        public ValueTask UndoCommandAsync()
        {
            Run("ROLLBACK TO command;");
            return Run("RELEASE command;");
        }

        public ValueTask CommitAsync()
        {
            statements.Transaction!.Commit();
            return default;
        }

        public bool MayRetry(Exception error) => false;

        public ValueTask DisposeAsync()
        {
            statements.Transaction?.Dispose();
            statements.Transaction = null;
            return default;
        }

        private ValueTask Run(string sql)
        {
            using var command = statements.Command(sql, []);
            command.Command.ExecuteNonQuery();
            return default;
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
