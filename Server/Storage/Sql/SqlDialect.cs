using System.Data.Common;

namespace ChatHub.Server.Storage.Sql;

/// <summary>What differs between the SQL engines, and nothing else: every statement (<see cref="SqlStatements"/>) and
/// every schema step (<see cref="SqlSchema"/>) is written once, and asks its dialect only these.</summary>
internal abstract class SqlDialect
{
    /// <summary>The engine's name in metrics (sqlite, postgres).</summary>
    public abstract string Name { get; }

    /// <summary>A condition: <paramref name="column"/> is one of the ids bound to <paramref name="parameter"/>
    /// (as <see cref="IdList"/> makes them): one statement whatever the count, so it can be prepared and batched.</summary>
    public abstract string AnyOf(string column, string parameter);

    /// <summary>The column with ASCII letters lowered and nothing else (SQLite's lower() does only that; PostgreSQL's
    /// folds every letter), so that a search means the same on every engine (<see cref="ContactSearch"/>).</summary>
    public abstract string AsciiLower(string column);

    /// <summary>The value of an <see cref="AnyOf"/> parameter.</summary>
    public abstract object IdList(IReadOnlyList<long> ids);

    /// <summary>A condition: text equal but for case, along the column's case-insensitive unique index.</summary>
    public abstract string EqualsIgnoringCase(string column, string parameter);

    /// <summary>What a SELECT ends with to hold its rows until the transaction ends ("" where the writer holds the
    /// whole database).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>The schema's words for this engine's types and the few DDL details that differ (<see cref="SqlSchema"/>).</summary>
    public abstract IReadOnlyDictionary<string, string> SchemaWords { get; }

    /// <summary>Message search (issue 25): a SELECT of the ids of the messages matching @words (<see cref="SearchQuery"/>;
    /// an engine may write <paramref name="words"/> into the statement instead, as PostgreSQL does)
    /// in the inboxes @inboxIds (in every inbox when <paramref name="everyInbox"/>), newest first, @limit after @offset,
    /// along the engine's full-text index (schema step 19, the word {message_search}).</summary>
    public abstract string SearchMessageIds(bool everyInbox, IReadOnlyList<string> words, bool rare = false);

    /// <summary>The value of @words for <see cref="SearchMessageIds"/>: each word a prefix that must match (the words hold
    /// letters and digits only, <see cref="SearchWords"/>, so nothing in them is query syntax).</summary>
    public abstract string SearchQuery(IReadOnlyList<string> words);

    /// <summary>Where the engine reads a search's matches best in ranges of message ids, newest first (@low..@high in
    /// <see cref="SearchMessageIds"/>), the first range's width; each next range is twice as wide. Null: one query.</summary>
    public virtual long? SearchWindow => null;

    /// <summary>Where the engine's planner cannot tell a rare word from a common one: a statement counting the search's
    /// matches up to the cap it is given (written into the statement), after which <see cref="SearchMessageIds"/> is asked with <c>rare</c> true when there were
    /// fewer (the index first, then sorted) and false otherwise (newest first). Null: no such count.</summary>
    public virtual string? CountSearchMatches(IReadOnlyList<string> words, int cap) => null;

    /// <summary>Whether one statement may write with what another write in it returned (PostgreSQL's data-modifying
    /// WITH): then <see cref="SqlStatements.AppendMessage"/> takes a seq and inserts a message in one statement.</summary>
    public virtual bool ChainsWrites => false;

    /// <summary>Whether a command that failed so may run again in the next batch (it lost a deadlock to another node, or
    /// waited too long for a lock that another node's batch held).</summary>
    public virtual bool MayRetry(Exception error) => false;

    /// <summary>Writes an attachment's slices (<see cref="AttachmentChunks"/>) from <paramref name="content"/>: one
    /// INSERT per slice, from one reused buffer; an engine with a bulk path overrides it.</summary>
    public virtual async ValueTask WriteChunksAsync(ISqlConnection connection, long attachmentId, Stream content, long fileSize)
    {
        var slice = new byte[Math.Min(AttachmentChunks.Bytes, fileSize)];
        long stored = 0;
        for (long seq = 0; stored < fileSize; seq++)
        {
            var length = (int)Math.Min(slice.Length, fileSize - stored);
            if (await AttachmentChunks.FillAsync(content, slice.AsMemory(0, length)) is var read && read < length)
                throw AttachmentChunks.EndedEarly(stored + read, fileSize);
            using var insert = connection.Command(SqlStatements.InsertChunk,
                [("@id", attachmentId), ("@seq", seq), ("@data", length == slice.Length ? slice : slice[..length])]);
            await insert.Command.ExecuteNonQueryAsync();
            stored += length;
        }
    }
}

/// <summary>A dialect's one instance, and its statements rendered once.</summary>
internal abstract class SqlDialect<TSelf> : SqlDialect where TSelf : SqlDialect<TSelf>, new()
{
    public static readonly TSelf Instance = new();
    public static readonly SqlStatements Statements = new(Instance);
}

/// <summary>One connection in one transaction, as a session runs its statements on it.</summary>
internal interface ISqlConnection
{
    DbConnection Connection { get; }
    DbTransaction Transaction { get; }

    /// <summary>A command for <paramref name="sql"/> with <paramref name="args"/> bound (a prepared one kept by the
    /// connection, where the engine keeps them); dispose the lease when done with it.</summary>
    SqlCommandLease Command(string sql, ReadOnlySpan<(string Name, object? Value)> args);
}

/// <summary>A connection on which a write command's statements go out together: while the command runs in
/// <see cref="RunAsync{T}"/>, each statement it starts is queued, and whatever it has started by the time it waits for
/// one goes to the server in one round trip (in the order started), its answers back in the same. A command that starts
/// independent statements before awaiting them (the conversation, its author, a retry's original) pays one round trip
/// for all of them; one that awaits each pays one each, as on any connection.</summary>
internal interface ISqlPipeline
{
    /// <summary>Whether statements are queued now (inside <see cref="RunAsync{T}"/>).</summary>
    bool IsCollecting { get; }

    /// <summary>Runs <paramref name="command"/>, sending its statements as it waits for them.</summary>
    Task<T> RunAsync<T>(Func<ValueTask<T>> command);

    /// <summary>Queues a statement whose result set <paramref name="read"/> turns into the answer.</summary>
    Task<T> Enqueue<T>(string sql, (string Name, object? Value)[] args, Func<DbDataReader, ValueTask<T>> read);

    /// <summary>Queues a statement without a result set; answers the rows it changed.</summary>
    Task<int> EnqueueExecute(string sql, (string Name, object? Value)[] args);
}

/// <summary>A command lent by an <see cref="ISqlConnection"/>: disposed when it is not the connection's to keep.</summary>
internal readonly struct SqlCommandLease(DbCommand command, bool owned) : IDisposable
{
    public DbCommand Command => command;

    public void Dispose()
    {
        if (owned) command.Dispose();
    }
}
