using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace ChatHub.Server.Tests.Email;

/// <summary>A customer asks for their conversation's transcript by email (issue 24): it arrives at the contact's own
/// email with what the customer sees (no private note, no activity line), rate-limited, refused without an email.</summary>
[Trait("Run", "EveryStore")]
public sealed class TranscriptTests
{
    [Fact]
    public async Task The_transcript_arrives_at_the_contacts_email_without_private_notes_and_is_rate_limited()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = smtp.Settings;
        settings["Email:TranscriptsPerContactPerHour"] = "1";
        await using var server = await ChatServer.StartAsync(settings: settings);
        using var agent = server.AdminHttp();
        var email = $"fay-{Guid.NewGuid():N}@example.com";
        var contact = await server.CreateContact(extra: new { name = "Fay", email });
        var conversation = await server.StartConversation(contact, "My parcel is late.");
        await agent.SendAsAgent(conversation.Id, "Sorry! Sending a new one.");
        await agent.SendAsAgent(conversation.Id, "Note: refund later", isPrivate: true);
        (await agent.PostJson($"{RestTestHelpers.AgentConversationPath(conversation.Id)}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();

        var path = $"{server.ConversationPath(contact, conversation.Id)}/transcript";
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(path, null)).StatusCode);
        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.Contains("My parcel is late.", mail.Text);
        Assert.Contains("Sorry! Sending a new one.", mail.Text);
        Assert.DoesNotContain("refund", mail.Text);
        Assert.DoesNotContain("resolved", mail.Text); // the activity line
        Assert.Contains("Fay", mail.Text);

        // One per hour here: the second is 429, and nothing more is sent.
        await (await server.Http.PostAsync(path, null)).AssertProblem(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);

        // Another contact's conversation is not this contact's to ask for.
        var other = await server.CreateContact(extra: new { name = "Gus", email = $"gus-{Guid.NewGuid():N}@example.com" });
        var response = await server.Http.PostAsync($"{server.ContactPath(other)}/conversations/{conversation.Id}/transcript", null);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, response.StatusCode.ToString());
        Assert.Single(smtp.Received);
    }

    [Fact]
    public async Task Without_an_email_the_transcript_is_refused_and_over_the_hub_it_is_sent()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var server = await ChatServer.StartAsync(settings: smtp.Settings);
        var contact = await server.CreateContact("Hal");
        var conversation = await server.StartConversation(contact, "No email yet.");
        await (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/transcript", null)).AssertValidation("email");

        var email = $"hal-{Guid.NewGuid():N}@example.com";
        (await server.Http.PatchJson(server.ContactPath(contact), new { email })).EnsureSuccessStatusCode();
        await using var hub = await HubSession.ConnectAsync(server, contact.PubsubToken);
        await hub.Connection.InvokeAsync("SendTranscript", conversation.Id);
        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.Contains("No email yet.", mail.Text);
    }

    [Fact]
    public async Task Without_smtp_the_transcript_is_unavailable()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact(extra: new { name = "Ida", email = "ida@example.com" });
        var conversation = await server.StartConversation(contact, "Hello");
        await (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/transcript", null))
            .AssertProblem(HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
    }
}
