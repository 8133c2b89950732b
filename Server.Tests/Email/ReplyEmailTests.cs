using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Email;

/// <summary>Replies written while the customer is away reach them by email (issue 24), through a real SMTP server
/// (aiosmtpd, <see cref="SmtpServer"/>): batched per conversation, once each, with the link back, never a private note;
/// a reply the customer saw is not emailed; two nodes on one database send one email, not two.</summary>
[Trait("Run", "EveryStore")]
public sealed class ReplyEmailTests
{
    private static Dictionary<string, string?> Settings(SmtpServer smtp, int delaySeconds = 1)
    {
        var settings = smtp.Settings;
        settings["Email:ReplyDelaySeconds"] = delaySeconds.ToString();
        settings["Email:PollInterval"] = "00:00:00.200";
        return settings;
    }

    [Fact]
    public async Task Unseen_replies_are_emailed_once_batched_with_the_link_and_without_private_notes()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var server = await ChatServer.StartAsync(settings: Settings(smtp));
        using var agent = server.AdminHttp();
        var email = $"ann-{Guid.NewGuid():N}@example.com";
        var contact = await server.CreateContact(extra: new { name = "Ann", email });
        var conversation = await StartOnPageAsync(server, contact, "https://shop.example/help?x=1", "Where is my order?");

        await agent.SendAsAgent(conversation.Id, "It ships today.");
        await agent.SendAsAgent(conversation.Id, "Internal: check the warehouse", isPrivate: true);
        await agent.SendAsAgent(conversation.Id, "Tracking follows by email.");

        var first = await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.Contains("It ships today.", first.Text);
        Assert.Contains("Tracking follows by email.", first.Text);
        Assert.Contains("https://shop.example/help?x=1", first.Text);
        Assert.Contains("https://shop.example/help?x=1", first.Html);
        Assert.DoesNotContain("Internal", first.Text);
        Assert.DoesNotContain("Internal", first.Html);
        Assert.DoesNotContain("Where is my order?", first.Text); // the customer's own message is no reply
        Assert.Contains("support@chathub.test", first.MailFrom);
        Assert.Contains("replies", first.Subject);

        // A later reply: a second email with it alone (each reply once), which also proves no third one was on its way.
        await agent.SendAsAgent(conversation.Id, "It has arrived at the depot.");
        var second = await smtp.WaitForAsync(m => m.RcptTo.Contains(email) && m.Text.Contains("It has arrived at the depot."));
        Assert.DoesNotContain("It ships today.", second.Text);
        Assert.Equal(2, smtp.Received.Count(m => m.RcptTo.Contains(email)));
    }

    [Fact]
    public async Task A_reply_the_customer_saw_is_not_emailed_and_one_they_did_not_see_is()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var server = await ChatServer.StartAsync(settings: Settings(smtp, delaySeconds: 3));
        using var agent = server.AdminHttp();
        var email = $"bob-{Guid.NewGuid():N}@example.com";
        var contact = await server.CreateContact(extra: new { name = "Bob", email });
        var conversation = await StartOnPageAsync(server, contact, "https://shop.example/", "Hello?");

        await agent.SendAsAgent(conversation.Id, "Seen right away.");
        (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/update_last_seen", null)).EnsureSuccessStatusCode();
        await agent.SendAsAgent(conversation.Id, "Not seen: the customer left.");

        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.Contains("Not seen: the customer left.", mail.Text);
        Assert.DoesNotContain("Seen right away.", mail.Text);

        // Barrier: a later unseen reply is emailed, so any email for the seen one would have come before it.
        await agent.SendAsAgent(conversation.Id, "Barrier reply.");
        await smtp.WaitForAsync(m => m.RcptTo.Contains(email) && m.Text.Contains("Barrier reply."));
        Assert.DoesNotContain(smtp.Received, m => m.Text.Contains("Seen right away."));
    }

    [Fact]
    public async Task A_customer_without_an_email_gets_none_and_an_email_given_later_gets_the_next_reply()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var server = await ChatServer.StartAsync(settings: Settings(smtp));
        using var agent = server.AdminHttp();
        var contact = await server.CreateContact("Cleo");
        var conversation = await StartOnPageAsync(server, contact, "https://shop.example/", "Anyone?");
        await agent.SendAsAgent(conversation.Id, "Reply before any email.");

        // The customer leaves their email (the widget's email collect: the contact update).
        var email = $"cleo-{Guid.NewGuid():N}@example.com";
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the delay: the first reply's turn came while there was no email
        (await server.Http.PatchJson(server.ContactPath(contact), new { email })).EnsureSuccessStatusCode();
        await agent.SendAsAgent(conversation.Id, "Reply after the email.");

        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.Contains("Reply after the email.", mail.Text);
        Assert.Single(smtp.Received);
    }

    [Fact, Trait("Store", "SharedDatabase")] // two nodes on one database: not on LiteDB (one process per file)
    public async Task Two_nodes_on_one_database_send_one_email_per_batch()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var a = await ChatServer.StartAsync(settings: Settings(smtp));
        await using var b = await ChatServer.StartAsync(dbPath: a.DbPath, settings: Settings(smtp), agentToken: a.AgentToken,
            inboxIdentifier: a.InboxIdentifier, hmacToken: a.HmacToken);
        using var agentOnA = a.AdminHttp();
        using var agentOnB = b.AdminHttp();
        var email = $"dan-{Guid.NewGuid():N}@example.com";
        var contact = await a.CreateContact(extra: new { name = "Dan", email });
        var conversation = await StartOnPageAsync(a, contact, "https://shop.example/", "Two nodes?");

        await agentOnA.SendAsAgent(conversation.Id, "First, from node A.");
        await smtp.WaitForAsync(m => m.Text.Contains("First, from node A."));
        await agentOnB.SendAsAgent(conversation.Id, "Second, from node B.");
        await smtp.WaitForAsync(m => m.Text.Contains("Second, from node B."));
        // Barrier: a third reply's email arrives only after both nodes had every chance to send the first two twice.
        await agentOnA.SendAsAgent(conversation.Id, "Third.");
        await smtp.WaitForAsync(m => m.Text.Contains("Third."));
        Assert.Equal(3, smtp.Received.Count);
    }

    [Fact]
    public async Task A_reply_recorded_before_a_restart_is_emailed_after_it()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = Settings(smtp, delaySeconds: 5);
        var first = await ChatServer.StartAsync(settings: settings);
        var email = $"eve-{Guid.NewGuid():N}@example.com";
        var contact = await first.CreateContact(extra: new { name = "Eve", email });
        var conversation = await StartOnPageAsync(first, contact, "https://shop.example/", "Restart?");
        using (var agent = first.AdminHttp()) await agent.SendAsAgent(conversation.Id, "Written before the restart.");
        await first.DisposeAsync(); // stopped before the reply was due

        await using var second = await ChatServer.StartAsync(dbPath: first.DbPath, settings: settings, agentToken: first.AgentToken,
            inboxIdentifier: first.InboxIdentifier, hmacToken: first.HmacToken);
        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.Contains("Written before the restart.", mail.Text);
    }

    private static Task<ConversationDto> StartOnPageAsync(ChatServer server, ContactDto contact, string page, string message) =>
        server.Http.PostRead<ConversationDto>($"{server.ContactPath(contact)}/conversations",
            new { message = new { content = message }, custom_attributes = new { page_url = page } });
}
