using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Connections;

/// <summary>Revocation on one node (<see cref="RevocationScenarios"/>): deactivation, token resets (API and command
/// line), removal from an inbox, an inbox turned HMAC-mandatory.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task Deactivating_an_agent_closes_its_open_connection()
    {
        await using var server = await ChatServer.StartAsync();
        await RevocationScenarios.DeactivationAsync(new RevocationNodes(server, server, server));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resetting_a_token_closes_connections_opened_with_the_old_one(bool byTheAgentItself)
    {
        await using var server = await ChatServer.StartAsync();
        await RevocationScenarios.TokenResetAsync(new RevocationNodes(server, server, server), byTheAgentItself);
    }

    /// <summary>LiteDB's file is one process's: the command line cannot run beside a server on it.</summary>
    [Fact]
    [Trait("Store", "SharedDatabase")]
    public async Task Resetting_a_token_on_the_command_line_closes_connections_opened_with_the_old_one()
    {
        await using var server = await ChatServer.StartAsync();
        await RevocationScenarios.CommandLineResetAsync(new RevocationNodes(server, server, server));
    }

    [Fact]
    public async Task Removing_an_agent_from_an_inbox_stops_that_inbox_for_its_open_connection()
    {
        await using var server = await ChatServer.StartAsync();
        await RevocationScenarios.RemovalFromAnInboxAsync(new RevocationNodes(server, server, server));
    }

    [Fact]
    public async Task Turning_an_inbox_hmac_mandatory_closes_its_unverified_contacts_on_the_hub_and_on_cable()
    {
        await using var server = await ChatServer.StartAsync();
        await RevocationScenarios.InboxTurnedHmacMandatoryAsync(new RevocationNodes(server, server, server));
    }
}
