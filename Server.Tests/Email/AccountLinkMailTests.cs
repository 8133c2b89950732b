using System.Net;
using System.Net.Http.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Accounts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Email;

/// <summary>Invitations and password resets reach the agent by email when the server sends mail and knows its public
/// address (Email:PublicUrl): the emailed link is absolute, is the one the administrator was shown, and sets the password.</summary>
public sealed class AccountLinkMailTests
{
    [Fact]
    public async Task An_invitation_and_a_reset_are_emailed_with_an_absolute_link_that_works()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = smtp.Settings;
        settings["Email:PublicUrl"] = "https://chat.example.com/";
        await using var server = await ChatServer.StartAsync(settings: settings);

        var kim = await server.CreateAgent("Kim");
        var invitation = await smtp.WaitForAsync(m => m.RcptTo.Contains(kim.Email));
        Assert.Contains("https://chat.example.com" + kim.Invitation!.Url, invitation.Text);
        Assert.DoesNotContain(kim.AccessToken!, invitation.Raw); // the integration token never leaves in a mail

        var token = kim.Invitation.Url.Split("#invite=")[1];
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        (await http.PutAsJsonAsync("/auth/password", new { reset_password_token = token, password = AccountHttp.Password }, RestApi.Json))
            .EnsureSuccessStatusCode();

        using var admin = server.AdminHttp();
        var reset = await admin.PostRead<AccountLinkDto>($"/api/v1/agents/{kim.Id}/account_link", new { });
        var resetMail = await smtp.WaitForAsync(m => m.RcptTo.Contains(kim.Email) && m.Text.Contains("#reset="));
        Assert.Contains("https://chat.example.com" + reset.Url, resetMail.Text);
        Assert.Equal(2, smtp.Received.Count(m => m.RcptTo.Contains(kim.Email)));
    }

    [Fact]
    public async Task Without_a_public_url_no_link_is_emailed_and_the_administrator_still_gets_it()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var server = await ChatServer.StartAsync(settings: smtp.Settings);
        var lee = await server.CreateAgent("Lee");
        Assert.StartsWith("/agent/#invite=", lee.Invitation!.Url);

        // Barrier: a transcript queued after the invitation arrives, so an invitation mail would have arrived before it.
        var email = $"mo-{Guid.NewGuid():N}@example.com";
        var contact = await server.CreateContact(extra: new { name = "Mo", email });
        var conversation = await server.StartConversation(contact, "Hello");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/transcript", null)).StatusCode);
        await smtp.WaitForAsync(m => m.RcptTo.Contains(email));
        Assert.DoesNotContain(smtp.Received, m => m.RcptTo.Contains(lee.Email));
    }
}
