using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>At least once, the hard way: a receiver that is down, a server killed with SIGKILL, two nodes on one store.</summary>
[Trait("Run", "EveryStore")] // the outbox in the store across kill -9 and two nodes
public sealed class WebhookDurabilityTests
{
    [Fact]
    public async Task A_delivery_survives_its_receiver_being_down_and_the_server_killed_with_sigkill()
    {
        var port = WebhookReceiver.FreePort(); // nothing listens there yet: connections are refused
        var settings = FastRetries().ToDictionary(s => s.Key, s => s.Value!);
        await using var server = await ServerProcess.StartAsync(settings: settings);
        using var admin = server.AgentHttp(server.AgentToken);
        var webhook = await admin.CreateWebhookAsync($"http://127.0.0.1:{port}/hooks/chatwoot", "message_created");
        var contact = await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", new { name = "Ann" });
        await server.Http.PostRead<ConversationDto>($"{server.ClientApi}/contacts/{contact.SourceId}/conversations",
            new { message = new { content = "sent while the receiver is down" } });

        await EventuallyAsync(async () => (await admin.DeliveriesAsync(webhook.Id)).Any(d => d.GetProperty("attempts").GetInt32() >= 2),
            "two refused attempts are recorded");
        var pending = (await admin.DeliveriesAsync(webhook.Id)).Single();
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(pending.GetProperty("last_error").GetString()));
        await server.KillAsync();

        await using var receiver = await WebhookReceiver.StartAsync(port: port);
        await using var restarted = await ServerProcess.StartAsync(server.DbPath, server.AgentToken, server.InboxIdentifier, settings);
        var delivered = await receiver.WaitForAsync(d => d.Event == "message_created", "the delivery after the restart");
        Assert.Equal(pending.GetProperty("delivery_id").GetString(), delivered.DeliveryId);
        Assert.True(delivered.IsSignedWith(webhook.Secret));
        Assert.Equal("sent while the receiver is down", delivered.Json.GetProperty("content").GetString());
        using var restartedAdmin = restarted.AgentHttp(server.AgentToken);
        await EventuallyAsync(async () => (await restartedAdmin.DeliveriesAsync(webhook.Id)).Single().GetProperty("status").GetString() == "delivered",
            "the delivery is recorded as delivered");
    }

    [Fact]
    public async Task A_server_killed_in_the_middle_of_an_attempt_sends_that_delivery_again_after_its_lease_runs_out()
    {
        var settings = FastRetries().ToDictionary(s => s.Key, s => s.Value!);
        (settings["Webhooks:Timeout"], settings["Webhooks:LeaseDuration"]) = ("00:00:03", "00:00:04");
        var arrived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async delivery =>
        {
            if (arrived.TrySetResult(delivery.DeliveryId)) await hold.Task; // the first attempt never gets its answer
            return 200;
        });
        await using var server = await ServerProcess.StartAsync(settings: settings);
        using var admin = server.AgentHttp(server.AgentToken);
        var webhook = await admin.CreateWebhookAsync(receiver.Url, "contact_created");
        await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", new { name = "Ann" });

        var held = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await server.KillAsync(); // mid-attempt: the lease stays in the store
        hold.SetResult();

        await using var restarted = await ServerProcess.StartAsync(server.DbPath, server.AgentToken, server.InboxIdentifier, settings);
        // The held attempt is recorded too once released (its answer goes nowhere): wait for a second arrival.
        await receiver.WaitUntilAsync(r => r.Received.Count(d => d.DeliveryId == held) == 2, "the same delivery, sent again");
        Assert.All(receiver.Received, d => Assert.True(d.IsSignedWith(webhook.Secret)));
        using var restartedAdmin = restarted.AgentHttp(server.AgentToken);
        await EventuallyAsync(async () => (await restartedAdmin.DeliveriesAsync(webhook.Id)).Single().GetProperty("status").GetString() == "delivered",
            "recorded as delivered");
        Assert.Equal(1, (await restartedAdmin.DeliveriesAsync(webhook.Id)).Single().GetProperty("attempts").GetInt32()); // the killed attempt left no record
    }

    [Fact, Trait("Store", "SharedDatabase")] // two nodes on one database: not on LiteDB (one process per file)
    public async Task Two_nodes_on_one_store_send_each_delivery_once_in_commit_order()
    {
        await using var nodes = await TwoNodes.StartAsync(storage: FastRetries());
        await TwoNodesSendEachDeliveryOnceInCommitOrder(nodes);
    }

    internal static async Task TwoNodesSendEachDeliveryOnceInCommitOrder(TwoNodes nodes)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = nodes.A.AdminHttp();
        using var adminOnB = nodes.B.AdminHttp();
        var webhook = await admin.CreateWebhookAsync(receiver.Url, "message_created");
        var contact = await nodes.A.CreateContact("Ann");
        var conversation = await nodes.A.StartConversation(contact, "m0");
        const int count = 20;
        for (var i = 1; i < count; i++)
        {
            // Alternately on each node: both nodes' senders see every delivery in the shared store.
            if (i % 2 == 0) await nodes.A.SendAsContact(contact, conversation.Id, $"m{i}");
            else await adminOnB.SendAsAgent(conversation.Id, $"m{i}");
        }

        await EventuallyAsync(async () => (await admin.DeliveriesAsync(webhook.Id)).Count(d => d.GetProperty("status").GetString() == "delivered") == count,
            "every delivery recorded as delivered");
        Assert.Equal(count, receiver.Received.Count);
        Assert.Equal(count, receiver.Received.Select(d => d.DeliveryId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), receiver.Received.Select(d => d.Json.GetProperty("content").GetString()));
        Assert.All(await admin.DeliveriesAsync(webhook.Id), d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
    }
}

/// <summary>The same two nodes on one PostgreSQL database: claims by conditional UPDATE under READ COMMITTED.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWebhookDurabilityTests(PostgresServer postgres)
{
    [Fact, Trait("Store", "SharedDatabase")]
    public async Task Two_nodes_on_one_Postgres_database_send_each_delivery_once_in_commit_order()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            var settings = FastRetries();
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:Postgres:ConnectionString"] = postgres.ConnectionString(database);
            await using var nodes = await TwoNodes.StartAsync(storage: settings);
            await WebhookDurabilityTests.TwoNodesSendEachDeliveryOnceInCommitOrder(nodes);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }
}
