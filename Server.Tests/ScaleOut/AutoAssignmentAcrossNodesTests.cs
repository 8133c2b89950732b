using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Auto-assignment's round robin lives in the store, so it holds with several nodes: conversations started at
/// once on two nodes of one PostgreSQL database (several writer lanes each) never give an agent more than the inbox's
/// limit, and each online agent gets its share.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AutoAssignmentAcrossNodesTests(PostgresServer postgres)
{
    [Fact]
    public async Task Conversations_started_at_once_on_two_nodes_respect_the_limit_and_reach_both_agents()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await using var nodes = await TwoNodes.StartAsync(storage: PostgresTwoNodesTests.Storage(postgres, database));
            using var admin = nodes.A.AdminHttp();
            (await admin.DeleteAsync("/api/v1/inboxes/1/members/1")).EnsureSuccessStatusCode();
            (await admin.PatchJson("/api/v1/inboxes/1", new { enable_auto_assignment = true, auto_assignment_config = new { max_assignment_limit = 2 } }))
                .EnsureSuccessStatusCode();
            var alice = await nodes.A.CreateAgent("Alice");
            var bob = await nodes.A.CreateAgent("Bob");
            await using var aliceHub = await HubSession.ConnectAsync(nodes.A, alice.AccessToken!);
            await using var bobHub = await HubSession.ConnectAsync(nodes.B, bob.AccessToken!);
            await aliceHub.Hub.SetAvailabilityAsync(Availabilities.Online);
            await bobHub.Hub.SetAvailabilityAsync(Availabilities.Online);

            // Ten customers at once, half on each node: four fit under the limits (two each), six wait.
            var contacts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => nodes.A.CreateContact($"Customer {i}")));
            var started = await Task.WhenAll(contacts.Select((contact, i) => (i % 2 == 0 ? nodes.A : nodes.B).StartConversation(contact, "hello")));

            var perAgent = started.Where(c => c.AssigneeId is not null).GroupBy(c => c.AssigneeId!.Value).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(new Dictionary<long, int> { [alice.Id] = 2, [bob.Id] = 2 }, perAgent);
            Assert.Equal(6, started.Count(c => c.AssigneeId is null));
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }
}
