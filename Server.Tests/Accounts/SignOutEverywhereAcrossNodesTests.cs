using System.Net;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Accounts;

/// <summary>"Sign out everywhere" on node A closes the agent's session connections on node B (behind Redis) before A
/// answers, while a connection opened with the agent's access token stays and keeps hearing the inbox.</summary>
[Trait("Store", "SharedDatabase")]
[Trait("Run", "EveryStore")] // two nodes on one database
public sealed class SignOutEverywhereAcrossNodesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Signing_out_everywhere_on_A_closes_the_session_connections_on_B_and_leaves_the_access_token()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var sam = await nodes.A.InvitedAgentAsync("Sam");
        var session = (await (await nodes.A.SignInAsync(sam.Email, AccountHttp.Password)).JsonBody()).GetProperty("data").GetProperty("access_token").GetString()!;
        await using var bySession = await HubSession.ConnectAsync(nodes.B, session);
        await using var byToken = await HubSession.ConnectAsync(nodes.B, sam.AccessToken!);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bySession.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        using var onA = nodes.A.AgentHttp(session);
        Assert.Equal(HttpStatusCode.OK, (await onA.DeleteAsync("/auth/sessions")).StatusCode);
        await closed.Task.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nodes.B.AgentHttp(session).GetAsync("/api/v1/profile")).StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(nodes.B, session));

        // The access token's connection is still open and hears what follows.
        var ann = await nodes.A.CreateContact("Ann");
        var conversation = await nodes.A.StartConversation(ann, "after the sign-out");
        await byToken.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
        Assert.DoesNotContain(bySession.Pushes.All<Pushed.ConversationCreated>(), c => c.Conversation.Id == conversation.Id);
    }
}
