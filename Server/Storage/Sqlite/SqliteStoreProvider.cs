namespace ChatHub.Server.Storage.Sqlite;

/// <summary>Storage:Provider = Sqlite (the default): a file at Storage:Sqlite:Path.</summary>
public sealed class SqliteStoreProvider : StoreProvider<SqliteChatStore, SqliteOptions>
{
    public override string Name => "Sqlite";
    public override bool IsDefault => true;
}
