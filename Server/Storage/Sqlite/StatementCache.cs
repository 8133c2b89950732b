using System.Data.Common;
using ChatHub.Server.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>One long-lived connection and its prepared statements, by SQL text. A cached SqliteCommand keeps its
/// compiled statement between executions, so every statement after the first skips SQLite's parse and plan. Used by
/// one thread at a time, in the transaction of the moment (<see cref="Transaction"/>).</summary>
internal sealed class StatementCache(SqliteConnection connection) : ISqlConnection, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;
    DbConnection ISqlConnection.Connection => connection;
    public SqliteTransaction? Transaction { get; set; }
    DbTransaction ISqlConnection.Transaction => Transaction!;

    public SqlCommandLease Command(string sql, ReadOnlySpan<(string Name, object? Value)> args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = Transaction;
        foreach (var (name, value) in args)
        {
            var index = command.Parameters.IndexOf(name);
            if (index < 0) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            else command.Parameters[index].Value = value ?? DBNull.Value;
        }
        return new SqlCommandLease(command, owned: false);
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        connection.Dispose();
    }
}
