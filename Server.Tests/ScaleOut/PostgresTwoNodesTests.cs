using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Two nodes on one PostgreSQL database and one Redis act as one server, as they do on one SQLite file:
/// the same checks as <see cref="CrossNodeDeliveryTests"/> (both directions, a second device of the customer, and
/// one gap-free seq across the two writers), each node with a connection pool of its own (files across them:
/// Attachments/AttachmentAcrossNodesTests).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTwoNodesTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_customer_on_A_and_an_agent_on_B_talk_in_both_directions_on_one_Postgres_database()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await using var nodes = await TwoNodes.StartAsync(storage: Storage(database));
            await CrossNodeDeliveryTests.CustomerOnAAndAgentOnBTalkInBothDirections(nodes);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Writers_on_both_nodes_share_one_gap_free_seq_on_one_Postgres_database()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await using var nodes = await TwoNodes.StartAsync(storage: Storage(database));
            await CrossNodeDeliveryTests.WritersOnBothNodesShareOneGapFreeSeq(nodes);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    private Dictionary<string, string?> Storage(string database) => Storage(postgres, database);

    /// <summary>The settings of a node on <paramref name="database"/> of the <paramref name="postgres"/> cluster.</summary>
    internal static Dictionary<string, string?> Storage(PostgresServer postgres, string database) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = postgres.ConnectionString(database),
    };
}
