using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Chatwoot's search endpoints (issue 25) over real HTTP on a shared server, on every store: messages by their
/// words (private notes too), conversations by their contact or their messages, contacts; an agent finds only what its
/// inboxes hold; q and page are bounded (a clear 422, never a 500). The store's matching is the conformance suite's
/// (Storage/StoreConformanceTests.Search).</summary>
public sealed class SearchApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";

    /// <summary>A word no other test's message holds (letters and digits: one word).</summary>
    private static string Marker() => "zq" + Guid.NewGuid().ToString("N")[..12];

    private static List<JsonElement> Items(JsonElement body, string key) => body.GetProperty("payload").GetProperty(key).EnumerateArray().ToList();
    private static List<long> Ids(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("id").GetInt64()).ToList();

    [Fact, Trait("Run", "EveryStore")]
    public async Task Search_finds_messages_conversations_and_contacts_of_the_agents_own_inboxes_only()
    {
        var server = shared.Server;
        var marker = Marker();
        // Inbox 1: a contact named after the marker, its conversation with a matching message and a private note.
        var contact = await server.CreateContact($"Pat {marker}");
        var conversation = await server.StartConversation(contact, $"My parcel {marker}x never arrived");
        using var grace = server.AgentHttp((await server.CreateAgent("Grace")).AccessToken!);
        var note = await grace.SendAsAgent(conversation.Id, $"Courier says {marker}x was delivered", isPrivate: true);
        var incoming = (await grace.MessagesAsAgent(conversation.Id)).First(m => m.Content.Contains("parcel"));
        // Another inbox, whose member Hank is not in inbox 1, holds a matching message too.
        var other = await server.CreateInbox("Search elsewhere");
        var stranger = await server.CreateContactIn(other.Identifier, new { name = "Sam" });
        var elsewhere = await server.Http.PostRead<ConversationDto>($"/public/api/v1/inboxes/{other.Identifier}/contacts/{stranger.SourceId}/conversations",
            new { message = new { content = $"{marker}x elsewhere" } });
        using var hank = server.AgentHttp((await server.CreateAgent("Hank", inboxId: other.Id)).AccessToken!);

        // Messages: newest first, the note included; a prefix of the word is enough; only the caller's inboxes.
        var messages = await (await grace.GetAsync($"{Account}/search/messages?q={marker.ToUpperInvariant()}X")).JsonBody();
        Assert.Equal([note.Id, incoming.Id], Ids(Items(messages, "messages")));
        Assert.Equal(conversation.Id, Items(messages, "messages")[0].GetProperty("conversation_id").GetInt64());
        Assert.Equal((1, false), (messages.GetProperty("payload").GetProperty("meta").GetProperty("current_page").GetInt32(),
            messages.GetProperty("payload").GetProperty("meta").GetProperty("has_more").GetBoolean()));
        Assert.Equal([note.Id, incoming.Id], Ids(Items(await (await grace.GetAsync($"{Account}/search/messages?q={marker[..8]}")).JsonBody(), "messages")));
        var hanks = Items(await (await hank.GetAsync($"{Account}/search/messages?q={marker}x")).JsonBody(), "messages");
        Assert.Equal(elsewhere.Id, Assert.Single(hanks).GetProperty("conversation_id").GetInt64());
        // Asking for an inbox one is no member of is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await hank.GetAsync($"{Account}/search/messages?q={marker}&inbox_id=1")).StatusCode);

        // Conversations: by the contact's name (no message says "Pat") and by message text, in the list's envelope.
        var byName = await (await grace.GetAsync($"{Account}/conversations/search?q=Pat%20{marker}")).JsonBody();
        Assert.Equal([conversation.Id], Ids(byName.GetProperty("data").GetProperty("payload").EnumerateArray()));
        Assert.Equal(1, byName.GetProperty("data").GetProperty("meta").GetProperty("all_count").GetInt32());
        var byText = await (await grace.GetAsync($"{Account}/search/conversations?q=parcel%20{marker}")).JsonBody();
        var found = Assert.Single(Items(byText, "conversations"));
        Assert.Equal(conversation.Id, found.GetProperty("id").GetInt64());
        Assert.Equal(incoming.Id, found.GetProperty("message").GetProperty("id").GetInt64());
        Assert.Equal(contact.Id, found.GetProperty("contact").GetProperty("id").GetInt64());
        Assert.Empty(Items(await (await hank.GetAsync($"{Account}/search/conversations?q=Pat%20{marker}")).JsonBody(), "conversations"));

        // Everything at once.
        var all = await (await grace.GetAsync($"{Account}/search?q={marker}")).JsonBody();
        Assert.Equal([conversation.Id], Ids(Items(all, "conversations")));
        Assert.Equal([contact.Id], Ids(Items(all, "contacts")));
        Assert.Equal([note.Id, incoming.Id], Ids(Items(all, "messages")));
        Assert.Equal([contact.Id], Ids(Items(await (await grace.GetAsync($"{Account}/search/contacts?q={marker}")).JsonBody(), "contacts")));
    }

    [Theory, Trait("Run", "EveryStore")]
    [InlineData("/search/messages")]
    [InlineData("/search/conversations")]
    [InlineData("/conversations/search")]
    [InlineData("/search")]
    public async Task A_missing_long_or_wordy_query_or_a_page_out_of_range_is_a_validation_error(string path)
    {
        using var admin = shared.Server.AdminHttp();
        await (await admin.GetAsync(Account + path)).AssertValidation("q");
        await (await admin.GetAsync(Account + path + "?q=%20%20")).AssertValidation("q");
        await (await admin.GetAsync(Account + path + "?q=" + new string('a', 101))).AssertValidation("q");
        await (await admin.GetAsync(Account + path + "?q=" + string.Join("+", Enumerable.Range(1, 9).Select(i => $"w{i}")))).AssertValidation("q");
        if (path != "/search")
        {
            await (await admin.GetAsync(Account + path + "?q=refund&page=0")).AssertValidation("page");
            await (await admin.GetAsync(Account + path + "?q=refund&page=11")).AssertValidation("page");
        }
        // The largest query it takes is answered.
        (await admin.GetAsync(Account + path + "?q=" + string.Join("+", Enumerable.Range(1, 8).Select(i => $"w{i}")) + "&page=10")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_query_of_punctuation_only_finds_no_message()
    {
        using var admin = shared.Server.AdminHttp();
        Assert.Empty(Items(await (await admin.GetAsync($"{Account}/search/messages?q=%21%21%21")).JsonBody(), "messages"));
    }

    [Fact]
    public async Task Search_is_for_agents_only()
    {
        var contact = await shared.Server.CreateContact("Nosy");
        using var anonymous = new HttpClient { BaseAddress = shared.Server.Http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Account}/search/messages?q=refund")).StatusCode);
        using var withContactToken = new HttpClient { BaseAddress = shared.Server.Http.BaseAddress };
        withContactToken.DefaultRequestHeaders.Add("api_access_token", contact.PubsubToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withContactToken.GetAsync($"{Account}/search/messages?q=refund")).StatusCode);
    }
}
