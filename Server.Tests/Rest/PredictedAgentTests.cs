using System.Net.Http.Headers;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The predicted agent in the public inbox view (issue 27, LiveChat's get_predicted_agent), what the widget's
/// header shows before the chat starts: nobody while no member is online; the name customers see and the avatar, never the
/// email or the id; with auto-assignment on, the agent the next conversation is then assigned to. Each test has an inbox
/// of its own without the administrator.</summary>
public sealed class PredictedAgentTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private async Task<InboxAdminDto> InboxWithoutAdministratorAsync(bool autoAssignment)
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var inbox = await server.CreateInbox($"Predict {Guid.NewGuid():N}"[..16]);
        (await admin.DeleteAsync($"/api/v1/inboxes/{inbox.Id}/members/1")).EnsureSuccessStatusCode();
        if (autoAssignment)
            (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { enable_auto_assignment = true })).EnsureSuccessStatusCode();
        return inbox;
    }

    private async Task<JsonElement> PublicViewAsync(InboxAdminDto inbox) =>
        JsonDocument.Parse(await shared.Server.Http.GetStringAsync($"/public/api/v1/inboxes/{inbox.Identifier}")).RootElement;

    private static JsonElement? Predicted(JsonElement view) =>
        view.TryGetProperty("predicted_agent", out var p) && p.ValueKind != JsonValueKind.Null ? p : null;

    [Fact, Trait("Run", "EveryStore")]
    public async Task Nobody_while_no_member_is_online_then_the_online_members_display_name_and_avatar_only()
    {
        var server = shared.Server;
        var inbox = await InboxWithoutAdministratorAsync(autoAssignment: false);
        var alice = await server.CreateAgent("Alice Example", inboxId: inbox.Id);
        Assert.Null(Predicted(await PublicViewAsync(inbox))); // a member, not connected

        using (var aliceHttp = server.AgentHttp(alice.AccessToken!))
        {
            var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
            var form = new MultipartFormDataContent
            {
                { new StringContent("Alice from Support"), "profile[display_name]" },
                { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "profile[avatar]", "me.png" },
            };
            (await aliceHttp.PatchAsync("/api/v1/profile", form)).EnsureSuccessStatusCode();
        }
        await using var aliceHub = await HubSession.ConnectAsync(server, alice.AccessToken!);
        await aliceHub.Hub.SetAvailabilityAsync(Availabilities.Online);

        var view = await PublicViewAsync(inbox);
        var predicted = Predicted(view) ?? throw new Xunit.Sdk.XunitException($"no predicted agent: {view}");
        Assert.Equal(["avatar_url", "name"], predicted.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Alice from Support", predicted.GetProperty("name").GetString());
        var avatarUrl = predicted.GetProperty("avatar_url").GetString()!;
        Assert.StartsWith("/avatars/", avatarUrl);
        Assert.Equal("image/png", (await server.Http.GetAsync(avatarUrl)).Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(alice.Email, view.GetRawText());

        // Busy is not online: nobody again.
        await aliceHub.Hub.SetAvailabilityAsync(Availabilities.Busy);
        Assert.Null(Predicted(await PublicViewAsync(inbox)));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task With_auto_assignment_on_it_is_the_agent_the_next_conversation_goes_to()
    {
        var server = shared.Server;
        var inbox = await InboxWithoutAdministratorAsync(autoAssignment: true);
        var alice = await server.CreateAgent("Alice", inboxId: inbox.Id);
        var bob = await server.CreateAgent("Bob", inboxId: inbox.Id);
        await using var aliceHub = await HubSession.ConnectAsync(server, alice.AccessToken!);
        await using var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!);
        await aliceHub.Hub.SetAvailabilityAsync(Availabilities.Online);
        await bobHub.Hub.SetAvailabilityAsync(Availabilities.Online);

        // Fewest open conversations, then the one whose newest is oldest, then the lowest id: Alice, Bob, Alice.
        foreach (var expected in new[] { alice, bob, alice })
        {
            var predicted = Predicted(await PublicViewAsync(inbox));
            Assert.Equal(expected.Name, predicted?.GetProperty("name").GetString());
            var contact = await server.CreateContactIn(inbox.Identifier, new { name = "Customer" });
            var conversation = await server.Http.PostRead<ConversationDto>(
                $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { message = new { content = "hi" } });
            Assert.Equal(expected.Id, conversation.AssigneeId);
        }
    }
}
