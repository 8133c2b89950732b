using SQLitePCL;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>How the SQLite library is set up for this process, before its first connection opens. Multi-thread mode
/// rather than the bundled build's serialized one: no mutex around every call on a connection, since each of ours is used
/// by one thread at a time (the writer's by the batch that runs, a reader's by the query that took it from the pool),
/// as Microsoft.Data.Sqlite asks of its connections anyway. No memory statistics: no global mutex around every
/// allocation. Together 5-10 % more durable messages per second (issue 22, docs/performance.md).</summary>
internal static class SqliteLibrary
{
    /// <summary>Whether the setup took: read it before opening a connection, which it runs on first read (once per
    /// process). False when the library was initialized already (a connection opened before any store of ours): it stays
    /// serialized then, which is only slower.</summary>
    public static bool Configured { get; } = Configure();

    private static bool Configure()
    {
        Batteries_V2.Init();
        // SQLITE_MISUSE once the library is initialized: then nothing changed, and nothing needs to.
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK
            & raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
    }
}
