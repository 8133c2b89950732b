namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Storage:Provider = LiteDb: a file at Storage:LiteDb:Path, opened by one process at a time.</summary>
public sealed class LiteDbStoreProvider : StoreProvider<LiteDbChatStore, LiteDbOptions>
{
    public override string Name => "LiteDb";
    public override bool OneProcessPerDatabase => true;
}
