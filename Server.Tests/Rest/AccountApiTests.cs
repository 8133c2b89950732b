using System.Net;
using System.Text;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using Catalog = ChatHub.Server.Tests.Chatwoot.ChatwootShapeCatalog;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The application API's directory endpoints over real HTTP, one test per route, answered in Chatwoot's
/// shapes (app/views/api/v1/models/_agent, _inbox, _contact and the accounts/ views that wrap them); the rules behind
/// them are in-process (UseCases/Contacts/AccountContactTests, Conversations/OpenConversationTests,
/// Inboxes/AccountDirectoryTests).</summary>
public sealed class AccountApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";

    private static void AssertNoCredentials(JsonElement contact)
    {
        var text = contact.GetRawText();
        Assert.DoesNotContain("source_id\":\"", text);
        Assert.DoesNotContain("pubsub_token", text);
    }

    private async Task<(HttpClient Admin, JsonElement Contact)> ContactAsync(string name, string? email = null)
    {
        var admin = shared.Server.AdminHttp();
        var created = await (await admin.PostJson($"{Account}/contacts", new { inbox_id = 1, name, email })).JsonBody();
        return (admin, created.GetProperty("payload").GetProperty("contact"));
    }

    [Fact]
    public async Task Agents_lists_the_active_agents_as_chatwoots_agent_partial()
    {
        var grace = await shared.Server.CreateAgent("Grace Directory");
        using var http = shared.Server.AgentHttp(grace.AccessToken!);

        var agents = (await (await http.GetAsync($"{Account}/agents")).JsonBody()).EnumerateArray().ToList();
        var her = agents.Single(a => a.GetProperty("id").GetInt64() == grace.Id);
        Catalog.Agent.Assert(her);
        Assert.Equal(("Grace Directory", "agent", 1), (her.GetProperty("name").GetString(), her.GetProperty("role").GetString(), her.GetProperty("account_id").GetInt32()));
        Assert.DoesNotContain("access_token", her.GetRawText());
    }

    [Fact]
    public async Task Inbox_members_are_chatwoots_agent_partial_under_payload()
    {
        var grace = await shared.Server.CreateAgent("Grace Members"); // a member of inbox 1
        using var admin = shared.Server.AdminHttp();

        var members = (await (await admin.GetAsync($"{Account}/inbox_members/1")).JsonBody()).GetProperty("payload").EnumerateArray().ToList();
        var her = members.Single(a => a.GetProperty("id").GetInt64() == grace.Id);
        Catalog.Agent.Assert(her);
        Assert.Equal(("Grace Members", "Grace Members", 1), (her.GetProperty("name").GetString(), her.GetProperty("available_name").GetString(),
            her.GetProperty("account_id").GetInt32()));
        // POST and PATCH answer the members the same way.
        var added = await (await admin.PostJson($"{Account}/inbox_members", new { inbox_id = 1, user_ids = new[] { grace.Id } })).JsonBody();
        Catalog.Agent.Assert(added.GetProperty("payload").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == grace.Id));
    }

    [Fact]
    public async Task Inboxes_lists_the_agents_inboxes_under_payload_without_the_secret_for_agents()
    {
        var grace = await shared.Server.CreateAgent("Grace Inboxes");
        using var http = shared.Server.AgentHttp(grace.AccessToken!);

        var inboxes = (await (await http.GetAsync($"{Account}/inboxes")).JsonBody()).GetProperty("payload").EnumerateArray().ToList();
        var inbox = Assert.Single(inboxes);
        Catalog.InboxData.Assert(inbox);
        Assert.Equal((1, shared.Server.InboxIdentifier, "Channel::WebWidget"),
            (inbox.GetProperty("id").GetInt32(), inbox.GetProperty("inbox_identifier").GetString(), inbox.GetProperty("channel_type").GetString()));
        Assert.False(inbox.TryGetProperty("hmac_token", out _));
    }

    [Fact]
    public async Task Inbox_shows_one_inbox_with_its_secret_to_an_administrator()
    {
        using var admin = shared.Server.AdminHttp();

        var inbox = await (await admin.GetAsync($"{Account}/inboxes/1")).JsonBody();
        Catalog.InboxData.Assert(inbox);
        Assert.False(string.IsNullOrEmpty(inbox.GetProperty("hmac_token").GetString()));
        await (await admin.GetAsync($"{Account}/inboxes/999999")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Contacts_lists_a_page_with_meta_count_and_current_page()
    {
        var (admin, contact) = await ContactAsync("Listed Lead");
        using var _ = admin;

        var list = await (await admin.GetAsync($"{Account}/contacts")).JsonBody();
        Assert.True(list.GetProperty("meta").GetProperty("count").GetInt32() >= 1);
        Assert.Equal(1, list.GetProperty("meta").GetProperty("current_page").GetInt32());
        var payload = list.GetProperty("payload").EnumerateArray().ToList();
        Assert.InRange(payload.Count, 1, 15);
        Assert.Equal(contact.GetProperty("id").GetInt64(), payload[0].GetProperty("id").GetInt64()); // newest first
        Catalog.ContactData.Assert(payload[0]);
        Catalog.ContactInboxData.Assert(payload[0].GetProperty("contact_inboxes")[0]);
        Assert.All(payload, AssertNoCredentials);
    }

    [Fact]
    public async Task Contact_create_answers_the_contact_and_its_contact_inbox_as_form_fields_too()
    {
        using var admin = shared.Server.AdminHttp();

        var created = await (await admin.PostJson($"{Account}/contacts", new
        {
            inbox_id = 1, name = "Created Lead", email = "created@example.com", custom_attributes = new { plan = "pro" },
        })).JsonBody();
        var contact = created.GetProperty("payload").GetProperty("contact");
        Catalog.ContactData.Assert(contact);
        Assert.Equal("pro", contact.GetProperty("custom_attributes").GetProperty("plan").GetString());
        Assert.Equal(1, created.GetProperty("payload").GetProperty("contact_inbox").GetProperty("inbox").GetProperty("id").GetInt32());
        AssertNoCredentials(created);
        var form = await (await admin.PostAsync($"{Account}/contacts", new StringContent("inbox_id=1&name=Form%20Lead&custom_attributes[plan]=free",
            Encoding.UTF8, "application/x-www-form-urlencoded"))).JsonBody();
        Assert.Equal("Form Lead", form.GetProperty("payload").GetProperty("contact").GetProperty("name").GetString());
        await (await admin.PostJson($"{Account}/contacts", new { name = "No inbox" })).AssertValidation("inbox_id");
    }

    [Fact]
    public async Task Contact_search_finds_by_a_part_of_the_email_and_needs_q()
    {
        var (admin, contact) = await ContactAsync("Searched Lead", $"{Guid.NewGuid():N}@search.example");
        using var _ = admin;
        var email = contact.GetProperty("email").GetString()!;

        var found = await (await admin.GetAsync($"{Account}/contacts/search?q={email[..12].ToUpperInvariant()}")).JsonBody();
        Assert.Equal([contact.GetProperty("id").GetInt64()], found.GetProperty("payload").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal(1, found.GetProperty("meta").GetProperty("count").GetInt32());
        await (await admin.GetAsync($"{Account}/contacts/search")).AssertValidation("q");
    }

    [Fact]
    public async Task Contact_show_answers_the_record_under_payload()
    {
        var (admin, contact) = await ContactAsync("Shown Lead");
        using var _ = admin;

        var shown = await (await admin.GetAsync($"{Account}/contacts/{contact.GetProperty("id").GetInt64()}")).JsonBody();
        Catalog.ContactData.Assert(shown.GetProperty("payload"));
        Assert.Equal("Shown Lead", shown.GetProperty("payload").GetProperty("name").GetString());
        await (await admin.GetAsync($"{Account}/contacts/999999")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Contact_update_by_put_or_patch_merges_custom_attributes()
    {
        var (admin, contact) = await ContactAsync("Updated Lead");
        using var _ = admin;
        var path = $"{Account}/contacts/{contact.GetProperty("id").GetInt64()}";

        await (await admin.PutAsync(path, RawJson("""{"phone_number":"+1 555 0101","custom_attributes":{"a":1}}"""))).JsonBody();
        var patched = await (await admin.PatchJson(path, new { custom_attributes = new { b = 2 } })).JsonBody();
        var payload = patched.GetProperty("payload");
        Assert.Equal("+1 555 0101", payload.GetProperty("phone_number").GetString());
        Assert.Equal(["a", "b"], payload.GetProperty("custom_attributes").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Contact_conversations_lists_them_under_payload_in_the_application_shape()
    {
        var server = shared.Server;
        var customer = await server.CreateContact("Conversing");
        var conversation = await server.StartConversation(customer, "hello");
        using var admin = server.AdminHttp();

        var list = await (await admin.GetAsync($"{Account}/contacts/{customer.Id}/conversations")).JsonBody();
        var only = Assert.Single(list.GetProperty("payload").EnumerateArray());
        Assert.Equal(conversation.Id, only.GetProperty("id").GetInt64());
        Catalog.ApplicationConversation.Assert(only);
        Assert.Equal("Conversing", only.GetProperty("meta").GetProperty("sender").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Conversation_create_opens_one_with_its_first_message_for_a_contact_or_a_source_id()
    {
        var server = shared.Server;
        var (admin, contact) = await ContactAsync("Outbound Lead");
        using var _ = admin;

        var opened = await (await admin.PostJson($"{Account}/conversations", new
        {
            inbox_id = 1, contact_id = contact.GetProperty("id").GetInt64(), message = new { content = "Hello from a bot" },
        })).JsonBody();
        Catalog.ApplicationConversation.Assert(opened);
        Assert.Equal(contact.GetProperty("id").GetInt64(), opened.GetProperty("contact_id").GetInt64());
        var first = Assert.Single(opened.GetProperty("messages").EnumerateArray());
        Assert.Equal(("Hello from a bot", 1), (first.GetProperty("content").GetString(), first.GetProperty("message_type").GetInt32()));

        var customer = await server.CreateContact("Known by source");
        var bySource = await (await admin.PostAsync($"{Account}/conversations", new StringContent(
            $"inbox_id=1&source_id={customer.SourceId}", Encoding.UTF8, "application/x-www-form-urlencoded"))).JsonBody();
        Assert.Equal(customer.Id, bySource.GetProperty("contact_id").GetInt64());
        await (await admin.PostJson($"{Account}/conversations", new { contact_id = customer.Id })).AssertValidation("inbox_id");
    }

    [Fact]
    public async Task Conversation_meta_counts_mine_assigned_unassigned_and_all_and_the_list_takes_assignee_type_assigned()
    {
        var server = shared.Server;
        var inbox = await server.CreateInbox("Meta counted"); // the administrator is a member: its counts are this test's alone
        using var admin = server.AdminHttp();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var customer = await server.CreateContactIn(inbox.Identifier, new { name = $"M{i}" });
            ids.Add((await server.Http.PostRead<ConversationDto>(
                $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{customer.SourceId}/conversations", new { message = new { content = "hi" } })).Id);
        }
        (await admin.PostJson($"{Account}/conversations/{ids[0]}/assignments", new { assignee_id = 1 })).EnsureSuccessStatusCode();

        var meta = (await (await admin.GetAsync($"{Account}/conversations/meta?inbox_id={inbox.Id}")).JsonBody()).GetProperty("meta");
        Assert.Equal((1, 1, 2, 3), (meta.GetProperty("mine_count").GetInt32(), meta.GetProperty("assigned_count").GetInt32(),
            meta.GetProperty("unassigned_count").GetInt32(), meta.GetProperty("all_count").GetInt32()));
        var assigned = await (await admin.GetAsync($"{Account}/conversations?assignee_type=assigned&inbox_id={inbox.Id}")).JsonBody();
        Assert.Equal([ids[0]], assigned.GetProperty("data").GetProperty("payload").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task The_list_and_meta_filter_by_labels_as_rails_sends_them_and_by_q_and_refuse_bad_ones_with_422()
    {
        var server = shared.Server;
        var inbox = await server.CreateInbox("Filtered"); // the administrator is a member: these conversations are this test's alone
        using var admin = server.AdminHttp();
        var (red, blue) = ($"red-{Guid.NewGuid():N}"[..16], $"blue-{Guid.NewGuid():N}"[..16]);
        foreach (var title in new[] { red, blue }) (await admin.PostJson($"{Account}/labels", new { title })).EnsureSuccessStatusCode();
        // Letters only, so that searching a conversation's id finds no name.
        var name = "Filtered " + new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + c % 16)).Take(12).ToArray());
        var ids = new List<long>();
        foreach (var (customer, labels) in new[] { (name, new[] { red }), ("Other", [blue]), ("Other", Array.Empty<string>()) })
        {
            var contact = await server.CreateContactIn(inbox.Identifier, new { name = customer });
            var id = (await server.Http.PostRead<ConversationDto>(
                $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { message = new { content = "hi" } })).Id;
            (await admin.PostJson($"{Account}/conversations/{id}/labels", new { labels })).EnsureSuccessStatusCode();
            ids.Add(id);
        }

        async Task<List<long>> Listed(string query)
        {
            var body = await (await admin.GetAsync($"{Account}/conversations?inbox_id={inbox.Id}&{query}")).JsonBody();
            var listed = body.GetProperty("data").GetProperty("payload").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).Order().ToList();
            Assert.Equal(listed.Count, body.GetProperty("data").GetProperty("meta").GetProperty("all_count").GetInt32());
            var meta = (await (await admin.GetAsync($"{Account}/conversations/meta?inbox_id={inbox.Id}&{query}")).JsonBody()).GetProperty("meta");
            Assert.Equal(listed.Count, meta.GetProperty("all_count").GetInt32());
            return listed;
        }
        Assert.Equal(ids, await Listed(""));
        Assert.Equal([ids[0]], await Listed($"labels[]={red}"));
        Assert.Equal([ids[0], ids[1]], await Listed($"labels[]={red}&labels[]={blue.ToUpperInvariant()}"));
        Assert.Equal([ids[0], ids[1]], await Listed($"labels={red},{blue}"));
        Assert.Equal([ids[0]], await Listed($"q={Uri.EscapeDataString(name.ToLowerInvariant())}"));
        Assert.Equal([ids[2]], await Listed($"q={ids[2]}"));

        foreach (var path in new[] { "conversations", "conversations/meta" })
        {
            await (await admin.GetAsync($"{Account}/{path}?labels[]=no%20spaces")).AssertValidation("labels");
            await (await admin.GetAsync($"{Account}/{path}?labels=" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"l{i}")))).AssertValidation("labels");
            await (await admin.GetAsync($"{Account}/{path}?q={new string('q', 101)}")).AssertValidation("q");
        }
    }
}
