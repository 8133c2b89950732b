using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Hosting;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Visitors;

/// <summary>Visitors on the site (issue 27) over real HTTP and hub connections: the widget's page views and heartbeats
/// make a visitor "on the site now" for the inbox's agents (pushed live, listed), never for another inbox's agents or a
/// contact, never with an address; a visitor not heard from for the presence window is gone; the reports are limited;
/// an agent's chat reaches the visitor's widget at its next report. Short windows keep the tests quick; every wait is a
/// bounded poll, never a timing threshold.</summary>
public sealed class VisitorTests
{
    public static readonly Dictionary<string, string?> ShortWindow = new()
    {
        ["Visitors:HeartbeatInterval"] = "00:00:01",
        ["Visitors:PresenceWindow"] = "00:00:02",
        ["Visitors:VisitGap"] = "00:10:00",
    };

    [Fact]
    public async Task A_visitor_shows_to_the_inboxs_agents_live_with_its_pages_and_leaves_after_the_window_and_nobody_else_sees_it()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortWindow);
        var ann = await server.CreateAgent("Ann");
        var other = await server.CreateInbox("Other shop");
        var bob = await server.CreateAgent("Bob", inboxId: other.Id);
        await using var annHub = await HubSession.ConnectAsync(server, ann.AccessToken!);
        await using var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!);
        var customer = await server.CreateContact("Carla");
        await using var customerHub = await HubSession.ConnectAsync(server, customer.PubsubToken);
        var carlasChat = await server.StartConversation(customer, "Hello");

        using var visitor = new TestVisitor(server.InboxIdentifier);
        var first = await visitor.ViewAsync(server, "https://shop.example.com/", "Shop", "https://search.example.com/?q=shoes");
        Assert.Equal(1, first.HeartbeatSeconds);
        Assert.Null(first.Invitation);
        Assert.DoesNotContain(visitor.Token, first.VisitorId); // agents get the public id, never the token
        await visitor.ViewAsync(server, "https://shop.example.com/shoes", "Shoes", "https://shop.example.com/");

        var pushed = await annHub.Pushes.WaitFor<VisitorDto>(v => v.Id == first.VisitorId && v.PagesThisVisit == 2);
        Assert.Equal(["https://shop.example.com/", "https://shop.example.com/shoes"], pushed.Pages.Select(p => p.Url));
        Assert.Equal("Shoes", pushed.CurrentPage!.Title);
        Assert.Equal("https://search.example.com/?q=shoes", pushed.Referrer);
        Assert.Equal(("CH", false, 1L), (pushed.Country, pushed.Returning, pushed.InboxId));

        using var annHttp = server.AgentHttp(ann.AccessToken!);
        var listed = await annHttp.GetAsync("/api/v1/visitors");
        var listText = await listed.Content.ReadAsStringAsync();
        var list = await listed.Read<VisitorListDto>();
        Assert.Equal(first.VisitorId, Assert.Single(list.Payload).Id);
        Assert.Equal(2, list.PresenceWindowSeconds);
        Assert.DoesNotContain("127.0.0.1", listText); // never the address
        Assert.DoesNotContain(visitor.Token, listText);
        using (var admin = server.AdminHttp()) Assert.Single((await admin.GetRead<VisitorListDto>("/api/v1/visitors")).Payload);

        // Bob, of another inbox, sees none of it: not listed, not pushed (the barrier: a visitor of his own inbox, pushed
        // after, arrives; the first visitor's pushes would have come before it).
        using var bobHttp = server.AgentHttp(bob.AccessToken!);
        Assert.Empty((await bobHttp.GetRead<VisitorListDto>("/api/v1/visitors")).Payload);
        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.GetAsync("/api/v1/visitors?inbox_id=1")).StatusCode);
        using var ownVisitor = new TestVisitor(other.Identifier);
        var own = await ownVisitor.ViewAsync(server, "https://other.example.com/");
        await bobHub.Pushes.WaitFor<VisitorDto>(v => v.Id == own.VisitorId);
        Assert.DoesNotContain(bobHub.Pushes.All<VisitorDto>(), v => v.Id == first.VisitorId);

        // The contact never hears of visitors (the barrier: an agent's reply, sent after, arrives).
        await annHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = carlasChat.Id, Content = "Hi Carla" });
        await customerHub.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "Hi Carla");
        Assert.Empty(customerHub.Pushes.All<VisitorDto>());
        // Nor may a contact list them (the agent API does not take a contact's token).
        using var contactHttp = server.BearerHttp(customer.PubsubToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await contactHttp.GetAsync("/api/v1/visitors")).StatusCode);

        // Not heard from for the presence window: gone. A heartbeat brings it back, pushed, with the same visit's pages.
        await Eventually(async () => (await annHttp.GetRead<VisitorListDto>("/api/v1/visitors")).Payload.Count == 0, "the visitor gone after the window");
        var pushesBefore = annHub.Pushes.All<VisitorDto>().Count;
        await visitor.BeatAsync(server);
        await annHub.Pushes.WaitForCount<VisitorDto>(pushesBefore + 1);
        var back = annHub.Pushes.All<VisitorDto>()[pushesBefore];
        Assert.Equal(first.VisitorId, back.Id);
        Assert.Equal(2, back.PagesThisVisit);
        Assert.Single((await annHttp.GetRead<VisitorListDto>("/api/v1/visitors")).Payload);
    }

    [Fact]
    public async Task Reports_are_limited_in_size_and_rate_and_follow_the_inboxs_identity_rule()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:VisitorReportsPerMinute"] = "3",
            ["Limits:NewVisitorsPerMinutePerAddress"] = "2",
            ["Visitors:MaxUrlLength"] = "100",
            ["Visitors:MaxTitleLength"] = "20",
        });
        using var visitor = new TestVisitor(server.InboxIdentifier);
        var tooLong = "https://shop.example.com/" + new string('a', 100);
        await AssertProblem(await visitor.PageViewAsync(server, tooLong), HttpStatusCode.UnprocessableEntity, "url");
        await AssertProblem(await visitor.PageViewAsync(server, "javascript:alert(1)"), HttpStatusCode.UnprocessableEntity, "url");
        await AssertProblem(await visitor.PageViewAsync(server, "https://shop.example.com/", new string('t', 21)), HttpStatusCode.UnprocessableEntity, "title");
        await AssertProblem(await visitor.PageViewAsync(server, "https://shop.example.com/", referrer: tooLong), HttpStatusCode.UnprocessableEntity, "referrer");
        using var badToken = new HttpClient { BaseAddress = server.BaseUrl };
        await AssertProblem(await badToken.PostJson($"{server.ClientApi}/visitors/heartbeat", new { visitor_token = "short" }),
            HttpStatusCode.UnprocessableEntity, "visitor_token");
        Assert.Equal(HttpStatusCode.NotFound, (await new TestVisitor("no-such-inbox").HeartbeatAsync(server)).StatusCode);

        // Per visitor: 3 reports a minute (the refused ones above did not count: they were never valid).
        for (var i = 0; i < 3; i++) (await visitor.PageViewAsync(server, $"https://shop.example.com/{i}")).EnsureSuccessStatusCode();
        var limited = await visitor.HeartbeatAsync(server);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);

        // Per address: 2 new visitors a minute (the first above was one).
        using (var second = new TestVisitor(server.InboxIdentifier)) (await second.HeartbeatAsync(server)).EnsureSuccessStatusCode();
        using (var third = new TestVisitor(server.InboxIdentifier))
            Assert.Equal(HttpStatusCode.TooManyRequests, (await third.HeartbeatAsync(server)).StatusCode);

        // An HMAC-mandatory inbox takes only signed visitors, as its contacts.
        var secure = await server.CreateInbox("Secure", hmacMandatory: true);
        using var unsigned = new TestVisitor(secure.Identifier);
        Assert.Equal(HttpStatusCode.Unauthorized, (await unsigned.HeartbeatAsync(server)).StatusCode);
    }

    [Fact]
    public async Task A_presence_window_not_longer_than_the_heartbeat_stops_the_start_naming_both_keys()
    {
        var refused = await Assert.ThrowsAsync<InvalidSettingsException>(() => ChatServer.StartAsync(settings:
            new Dictionary<string, string?> { ["Visitors:HeartbeatInterval"] = "00:00:30", ["Visitors:PresenceWindow"] = "00:00:20" }));
        Assert.Contains("Visitors:PresenceWindow must be longer than Visitors:HeartbeatInterval", refused.Message);
    }

    [Fact]
    public async Task Past_Visitors_MaxTracked_a_new_visitor_is_not_kept_while_known_ones_go_on()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Visitors:MaxTracked"] = "1" });
        using var admin = server.AdminHttp();
        using var first = new TestVisitor(server.InboxIdentifier);
        using var second = new TestVisitor(server.InboxIdentifier);
        var kept = await first.ViewAsync(server, "https://shop.example.com/");
        await second.ViewAsync(server, "https://shop.example.com/"); // answered, not kept
        await first.ViewAsync(server, "https://shop.example.com/more");
        var listed = Assert.Single((await admin.GetRead<VisitorListDto>("/api/v1/visitors")).Payload);
        Assert.Equal((kept.VisitorId, 2), (listed.Id, listed.PagesThisVisit));
    }

    [Fact]
    public async Task An_agent_starts_a_chat_with_a_visitor_and_the_widget_gets_the_contact_and_the_message_at_its_next_report()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortWindow);
        var ann = await server.CreateAgent("Ann");
        var other = await server.CreateInbox("Other shop");
        var bob = await server.CreateAgent("Bob", inboxId: other.Id);
        using var annHttp = server.AgentHttp(ann.AccessToken!);
        using var bobHttp = server.AgentHttp(bob.AccessToken!);
        using var visitor = new TestVisitor(server.InboxIdentifier);
        var visit = await visitor.ViewAsync(server, "https://shop.example.com/pricing", "Pricing");
        var path = $"/api/v1/inboxes/1/visitors/{visit.VisitorId}/conversations";

        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.PostJson(path, new { content = "Hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await annHttp.PostJson("/api/v1/inboxes/1/visitors/0123456789abcdef/conversations",
            new { content = "Hi" })).StatusCode);
        await AssertProblem(await annHttp.PostJson(path, new { content = "" }), HttpStatusCode.UnprocessableEntity, "content");

        var chat = await annHttp.PostRead<ConversationDto>(path, new { content = "Hello! Can I help with pricing?" });
        Assert.Equal("https://shop.example.com/pricing", chat.CustomAttributes!["page_url"].GetString());

        // The widget's next report carries the new contact's credentials and the conversation.
        var invited = (await visitor.BeatAsync(server)).Invitation;
        Assert.NotNull(invited);
        Assert.Equal(chat.Id, invited.ConversationId);
        Assert.Equal(chat.ContactId, invited.Contact.Id);
        await using var widget = await HubSession.ConnectAsync(server, invited.Contact.PubsubToken);
        var messages = await widget.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = chat.Id });
        Assert.Contains(messages.Messages, m => m.Content == "Hello! Can I help with pricing?");

        // The widget reports as that contact from now on (the chat is still named: the widget opens each one once); agents
        // see the visitor as the contact.
        visitor.SourceId = invited.Contact.SourceId;
        Assert.Equal(chat.Id, (await visitor.BeatAsync(server)).Invitation!.ConversationId);
        var seen = Assert.Single((await annHttp.GetRead<VisitorListDto>("/api/v1/visitors")).Payload);
        Assert.Equal((invited.Contact.Id, (long?)chat.Id, true), (seen.ContactId!.Value, seen.ConversationId, seen.Returning));
        // A second chat goes to the same contact.
        var again = await annHttp.PostRead<ConversationDto>(path, new { content = "Anything else?" });
        Assert.Equal(invited.Contact.Id, again.ContactId);
        await widget.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == again.Id); // its open widget hears it at once
        Assert.Equal(again.Id, (await visitor.BeatAsync(server)).Invitation!.ConversationId); // and the next report names the newest
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(field, text);
    }

    internal static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(100);
        }
    }
}
