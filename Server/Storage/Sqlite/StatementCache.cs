using Microsoft.Data.Sqlite;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>Prepared statements of one long-lived connection, by SQL text. A cached SqliteCommand keeps its
/// compiled statement between executions, so the hot paths (every send) skip SQLite's parse and plan.</summary>
internal sealed class StatementCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    public SqliteCommand Prepare(string sql, SqliteTransaction transaction, ReadOnlySpan<(string Name, object? Value)> args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in args) command.Parameters.Add(new SqliteParameter(name, null));
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        for (var i = 0; i < args.Length; i++) command.Parameters[i].Value = args[i].Value ?? DBNull.Value;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        connection.Dispose();
    }
}
