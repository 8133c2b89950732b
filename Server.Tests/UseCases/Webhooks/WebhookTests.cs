using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Storage;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Webhooks;

/// <summary>The webhook use cases, in-process: administrators create (Chatwoot's default events when none are named; the
/// secret in that answer only), list, change, delete and inspect webhooks; URLs are absolute http(s) without user info,
/// within 2048 characters, and by default never on a private network (SSRF, checked when the URL is taken; the connect-
/// time check is the webhook channel's, tested end to end); subscriptions name known events.</summary>
public sealed class WebhookTests
{
    private static readonly Dictionary<string, string?> Strict = new() { ["Webhooks:AllowPrivateNetworks"] = "false" };

    [Fact]
    public async Task Webhooks_are_created_listed_updated_and_deleted_with_their_deliveries()
    {
        await using var host = await UseCaseHost.StartAsync();
        var first = await host.Send(host.Admin, new CreateWebhook("https://example.com/a", ["message_created"]));
        Assert.Equal(("https://example.com/a", 1L), (first.Url, first.AccountId));
        Assert.Equal(["message_created"], first.Subscriptions);
        Assert.True(first.Secret!.Length >= 20);
        var second = await host.Send(host.Admin, new CreateWebhook("https://example.com/b", null));
        Assert.Equal(WebhookEvents.Default, second.Subscriptions); // Chatwoot's default set
        Assert.NotEqual(first.Secret, second.Secret);

        var listed = await host.Ask(host.Admin, new ListWebhooks());
        Assert.Equal(["https://example.com/a", "https://example.com/b"], listed.Select(w => w.Url));
        Assert.All(listed, w => Assert.Null(w.Secret)); // shown once, at creation

        var patched = await host.Send(host.Admin, new UpdateWebhook(first.Id, null, ["contact_created", "conversation_typing_off", "contact_created"]));
        Assert.Equal(("https://example.com/a", 2, null), (patched.Url, patched.Subscriptions.Count, patched.Secret)); // the URL stays; events once each
        var moved = await host.Send(host.Admin, new UpdateWebhook(first.Id, "https://example.com/c", null));
        Assert.Equal(("https://example.com/c", 2), (moved.Url, moved.Subscriptions.Count));

        await host.Send(host.Admin, new DeleteWebhook(first.Id));
        await Refusal.NotFound(() => host.Send(host.Admin, new DeleteWebhook(first.Id)));
        await Refusal.NotFound(() => host.Send(host.Admin, new UpdateWebhook(first.Id, "https://example.com/d", null)));
        await Refusal.NotFound(() => host.Ask(host.Admin, new ListWebhookDeliveries(first.Id, null)));
        Assert.Single(await host.Ask(host.Admin, new ListWebhooks()));
    }

    [Fact]
    public async Task A_subscribed_event_is_recorded_as_a_pending_delivery_in_the_changes_own_transaction()
    {
        await using var host = await UseCaseHost.StartAsync();
        var hook = await host.Send(host.Admin, new CreateWebhook("https://example.com/a", ["message_created", "conversation_status_changed"]));
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        await host.Send(host.Admin, new Features.Conversations.SetStatus(conversation.Id, "resolved")); // its activity line is not sent

        var deliveries = await host.Ask(host.Admin, new ListWebhookDeliveries(hook.Id, null));
        Assert.Equal(["conversation_status_changed", "message_created"], deliveries.Select(d => d.Event)); // newest first
        Assert.All(deliveries, d => Assert.Equal(("pending", 0), (d.Status, d.Attempts)));
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.DeliveryId).Distinct().Count());
        Assert.Single(await host.Ask(host.Admin, new ListWebhookDeliveries(hook.Id, 1)));
        foreach (var limit in new int?[] { 0, 101 })
            await Refusal.Invalid("limit", () => host.Ask(host.Admin, new ListWebhookDeliveries(hook.Id, limit)));
    }

    [Fact]
    public async Task Only_administrators_manage_webhooks()
    {
        await using var host = await UseCaseHost.StartAsync();
        var hook = await host.Send(host.Admin, new CreateWebhook("https://example.com/a", ["message_created"]));
        foreach (var caller in new[] { await host.AgentAsync("Bob"), await host.ContactAsync(), Caller.Anonymous, Caller.Operator })
        {
            await Refusal.Forbidden(() => host.Send(caller, new CreateWebhook("https://example.com/x", null)));
            await Refusal.Forbidden(() => host.Ask(caller, new ListWebhooks()));
            await Refusal.Forbidden(() => host.Send(caller, new UpdateWebhook(hook.Id, "https://example.com/x", null)));
            await Refusal.Forbidden(() => host.Send(caller, new DeleteWebhook(hook.Id)));
            await Refusal.Forbidden(() => host.Ask(caller, new ListWebhookDeliveries(hook.Id, null)));
        }
        Assert.Equal("https://example.com/a", Assert.Single(await host.Ask(host.Admin, new ListWebhooks())).Url);
    }

    [Theory]
    [InlineData(null, "url")]
    [InlineData("", "url")]
    [InlineData("ftp://example.com/x", "url")]
    [InlineData("/relative/path", "url")]
    [InlineData("https://user:pass@example.com/x", "url")]
    public async Task A_url_must_be_an_absolute_http_url_without_user_info(string? url, string field)
    {
        await using var host = await UseCaseHost.StartAsync();
        await Refusal.Invalid(field, () => host.Send(host.Admin, new CreateWebhook(url, ["message_created"])));
        Assert.Empty(await host.Ask(host.Admin, new ListWebhooks()));
    }

    [Fact]
    public async Task Urls_and_subscriptions_are_held_to_their_limits()
    {
        await using var host = await UseCaseHost.StartAsync();
        await Refusal.Invalid("url", () => host.Send(host.Admin, new CreateWebhook("https://example.com/" + new string('a', 2100), null)));
        await Refusal.Invalid("url", () => host.Send(host.Admin, new CreateWebhook("https://example.com/\ud800", null)));
        foreach (var subscriptions in new IReadOnlyList<string>[] { ["message_deleted"], [], [null!], Enumerable.Repeat("message_created", 21).ToList() })
            await Refusal.Invalid("subscriptions", () => host.Send(host.Admin, new CreateWebhook("https://example.com/x", subscriptions)));
        var hook = await host.Send(host.Admin, new CreateWebhook("https://example.com/x", WebhookEvents.All));
        Assert.Equal(WebhookEvents.All, hook.Subscriptions);
        await Refusal.Invalid("subscriptions", () => host.Send(host.Admin, new UpdateWebhook(hook.Id, null, ["nope"])));
        await Refusal.Invalid("url", () => host.Send(host.Admin, new UpdateWebhook(hook.Id, "mailto:x@example.com", null)));
    }

    [Fact]
    public async Task Private_network_urls_are_refused_by_default_at_creation_and_on_update()
    {
        await using var host = await UseCaseHost.StartAsync(Strict);
        foreach (var url in new[]
        {
            "http://127.0.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost:8080/hook", "http://[::1]/hook",
            "http://10.1.2.3/hook", "http://192.168.1.10/hook", "http://172.16.0.1/hook", "http://100.64.0.1/hook", "http://[fd00:ec2::254]/hook",
            "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook", "http://192.0.2.1/hook", "http://[2001:db8::1]/hook", "http://[64:ff9b::c000:20a]/hook",
        })
        {
            var refused = await Refusal.Invalid("url", () => host.Send(host.Admin, new CreateWebhook(url, ["message_created"])));
            Assert.Contains("Webhooks:AllowPrivateNetworks", refused.Detail);
        }
        var created = await host.Send(host.Admin, new CreateWebhook("https://93.184.215.14/hook", ["message_created"])); // a public address is taken
        await Refusal.Invalid("url", () => host.Send(host.Admin, new UpdateWebhook(created.Id, "http://127.0.0.1:9/hook", null)));
        Assert.Equal("https://93.184.215.14/hook", Assert.Single(await host.Ask(host.Admin, new ListWebhooks())).Url);
    }

    [Fact]
    public async Task With_AllowPrivateNetworks_a_loopback_receiver_is_taken()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" });
        Assert.Equal("http://127.0.0.1:9/hook", (await host.Send(host.Admin, new CreateWebhook("http://127.0.0.1:9/hook", null))).Url);
    }

    [Fact]
    public void Chatwoots_events_map_from_ours_and_activity_lines_are_not_sent()
    {
        var conversation = new ConversationRow { Id = 1, Status = ConversationStatuses.Resolved };
        Assert.Equal(["conversation_status_changed", "conversation_updated"],
            WebhookEvents.Of(new ConversationUpdated(conversation, "", ConversationStatuses.Open)));
        Assert.Equal(["conversation_updated"], WebhookEvents.Of(new ConversationUpdated(conversation, "")));
        var activity = new MessageRow { MessageType = MessageTypes.Activity };
        Assert.Empty(WebhookEvents.Of(new MessageCreated(activity, null, conversation, "", null)));
        Assert.DoesNotContain("conversation_typing_on", WebhookEvents.Default);
        Assert.Contains("webwidget_triggered", WebhookEvents.All); // accepted, never sent
    }
}
