using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using Catalog = ChatHub.Server.Tests.Chatwoot.ChatwootShapeCatalog;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Chatwoot's contact notes on the application API (<c>/contacts/{id}/notes</c>), over real HTTP on a shared
/// server, on every store: each route's body (flat or nested under <c>note</c>) and answer (the _note partial; the list
/// a bare array, newest first), the content's size limit, and who may call it: agents who see the contact (members of
/// its inbox, administrators); an agent of another inbox finds nothing, and the contact's own API never shows a note.</summary>
public sealed class ContactNotesApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";
    private static string NotesOf(long contactId) => $"{Account}/contacts/{contactId}/notes";

    private static async Task<JsonElement> CreateAsync(HttpClient agent, long contactId, object body)
    {
        var response = await agent.PostJson(NotesOf(contactId), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = await response.JsonBody();
        Catalog.ContactNote.Assert(note);
        return note;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient agent, long contactId)
    {
        var list = await (await agent.GetAsync(NotesOf(contactId))).JsonBody();
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        return list.EnumerateArray().ToList();
    }

    private static long Id(JsonElement note) => note.GetProperty("id").GetInt64();

    [Fact, Trait("Run", "EveryStore")]
    public async Task Notes_are_written_by_an_inbox_member_listed_newest_first_shown_changed_and_deleted()
    {
        var server = shared.Server;
        var customer = await server.CreateContact("Noted customer");
        var grace = await server.CreateAgent("Grace Notes"); // a member of inbox 1, the contact's
        using var agent = server.AgentHttp(grace.AccessToken!);
        var from = NowSeconds();

        var first = await CreateAsync(agent, customer.Id, new { content = "Prefers e-mail" });
        Assert.Equal((1L, customer.Id, "Prefers e-mail"), (first.GetProperty("account_id").GetInt64(), first.GetProperty("contact_id").GetInt64(),
            first.GetProperty("content").GetString()));
        AssertUnixSeconds(first.GetProperty("created_at").GetInt64(), from, NowSeconds());
        var author = first.GetProperty("user");
        Catalog.Agent.Assert(author);
        Assert.Equal((grace.Id, "Grace Notes"), (author.GetProperty("id").GetInt64(), author.GetProperty("name").GetString()));
        var second = await CreateAsync(agent, customer.Id, new { note = new { content = "VIP since 2024" } });

        var listed = await ListAsync(agent, customer.Id);
        listed.ForEach(Catalog.ContactNote.Assert);
        Assert.Equal([Id(second), Id(first)], listed.Select(Id));
        var shown = await (await agent.GetAsync($"{NotesOf(customer.Id)}/{Id(first)}")).JsonBody();
        Assert.Equal("Prefers e-mail", shown.GetProperty("content").GetString());

        using var admin = server.AdminHttp(); // another agent who sees the contact may change it; the author stays
        var patched = await (await admin.PatchJson($"{NotesOf(customer.Id)}/{Id(first)}", new { content = "Prefers phone" })).JsonBody();
        Catalog.ContactNote.Assert(patched);
        Assert.Equal(("Prefers phone", grace.Id), (patched.GetProperty("content").GetString(), patched.GetProperty("user").GetProperty("id").GetInt64()));
        var put = await (await admin.PutAsync($"{NotesOf(customer.Id)}/{Id(first)}", RawJson("""{"note": {"content": "Prefers chat"}}"""))).JsonBody();
        Assert.Equal("Prefers chat", put.GetProperty("content").GetString());
        Assert.Equal(first.GetProperty("created_at").GetInt64(), put.GetProperty("created_at").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await agent.DeleteAsync($"{NotesOf(customer.Id)}/{Id(second)}")).StatusCode);
        Assert.Equal([Id(first)], (await ListAsync(agent, customer.Id)).Select(Id));
        await (await agent.DeleteAsync($"{NotesOf(customer.Id)}/{Id(second)}")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        // A note is found only under its own contact.
        var other = await server.CreateContact("Other customer");
        await (await agent.GetAsync($"{NotesOf(other.Id)}/{Id(first)}")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await agent.DeleteAsync($"{NotesOf(other.Id)}/{Id(first)}")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Empty(await ListAsync(agent, other.Id));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Content_is_required_not_blank_and_at_most_10000_characters()
    {
        var server = shared.Server;
        var customer = await server.CreateContact("Limited customer");
        using var admin = server.AdminHttp();

        await (await admin.PostJson(NotesOf(customer.Id), new { })).AssertValidation("content");
        await (await admin.PostJson(NotesOf(customer.Id), new { content = "   " })).AssertValidation("content");
        await (await admin.PostJson(NotesOf(customer.Id), new { content = new string('x', 10_001) })).AssertValidation("content");
        await (await admin.PostJson(NotesOf(customer.Id), new { content = "bad \0 text" })).AssertValidation("content");
        var longest = await CreateAsync(admin, customer.Id, new { content = new string('x', 10_000) });
        await (await admin.PatchJson($"{NotesOf(customer.Id)}/{Id(longest)}", new { content = new string('y', 10_001) })).AssertValidation("content");
        Assert.Equal(new string('x', 10_000), Assert.Single(await ListAsync(admin, customer.Id)).GetProperty("content").GetString());
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task An_agent_of_another_inbox_finds_neither_the_contact_nor_its_notes_and_the_contact_never_sees_them()
    {
        var server = shared.Server;
        var inbox = await server.CreateInbox("Notes elsewhere"); // the administrator is a member; Grace is not
        var customer = await server.CreateContactIn(inbox.Identifier, new { name = "Elsewhere customer" });
        using var admin = server.AdminHttp();
        var note = await CreateAsync(admin, customer.Id, new { content = "Internal: refund pending" });
        var one = $"{NotesOf(customer.Id)}/{Id(note)}";
        using var outsider = server.AgentHttp((await server.CreateAgent("Grace Outsider")).AccessToken!);

        await (await outsider.GetAsync(NotesOf(customer.Id))).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await outsider.PostJson(NotesOf(customer.Id), new { content = "mine" })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await outsider.GetAsync(one)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await outsider.PatchJson(one, new { content = "changed" })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await outsider.DeleteAsync(one)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync(NotesOf(customer.Id))).StatusCode);

        // A member of that inbox sees it.
        using var member = server.AgentHttp((await server.CreateAgent("Grace Member", inboxId: inbox.Id)).AccessToken!);
        Assert.Equal([Id(note)], (await ListAsync(member, customer.Id)).Select(Id));

        // The contact's own API (the widget's) knows nothing of it.
        var own = await server.Http.GetAsync($"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{customer.SourceId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.DoesNotContain("refund pending", await own.Content.ReadAsStringAsync());
    }
}
