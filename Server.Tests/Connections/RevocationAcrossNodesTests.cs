using ChatHub.Server.Tests.ScaleOut;
using Xunit;

namespace ChatHub.Server.Tests.Connections;

/// <summary>Revocation across two nodes behind Redis (<see cref="RevocationScenarios"/>): the change is made on node A,
/// the connection it revokes is on node B, and it takes effect there before A answers. Two nodes share one database,
/// which a LiteDB file cannot be.</summary>
[Trait("Store", "SharedDatabase")]
[Trait("Run", "EveryStore")] // two nodes on one database
public sealed class RevocationAcrossNodesTests
{
    [Fact]
    public async Task Deactivating_an_agent_on_A_closes_its_connection_on_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RevocationScenarios.DeactivationAsync(new RevocationNodes(nodes.A, nodes.B, nodes.A));
    }

    [Fact]
    public async Task Resetting_a_token_on_A_closes_connections_on_B_opened_with_the_old_one()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RevocationScenarios.TokenResetAsync(new RevocationNodes(nodes.A, nodes.B, nodes.A), byTheAgentItself: false);
    }

    [Fact]
    public async Task Resetting_a_token_on_the_command_line_closes_connections_on_both_nodes()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RevocationScenarios.CommandLineResetAsync(new RevocationNodes(nodes.A, nodes.B, nodes.A), new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = nodes.Redis.Configuration,
            ["Redis:ChannelPrefix"] = nodes.ChannelPrefix,
        });
    }

    [Fact]
    public async Task Removing_an_agent_from_an_inbox_on_A_stops_that_inbox_on_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RevocationScenarios.RemovalFromAnInboxAsync(new RevocationNodes(nodes.A, nodes.B, nodes.A));
    }

    [Fact]
    public async Task Turning_an_inbox_hmac_mandatory_on_A_closes_unverified_contacts_on_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RevocationScenarios.InboxTurnedHmacMandatoryAsync(new RevocationNodes(nodes.A, nodes.B, nodes.A));
    }
}
