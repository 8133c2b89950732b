using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>API.md's agent API (/api/v1 with api_access_token), over real HTTP.</summary>
public sealed class AgentApiTests
{
    [Fact]
    public async Task Profile_answers_the_agent_without_its_access_token()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var json = await (await admin.GetAsync("/api/v1/profile")).JsonBody();

        AssertFields(json, "id", "name", "email", "role", "availability");
        Assert.Equal(1, json.GetProperty("id").GetInt64());
        Assert.Equal("administrator", json.GetProperty("role").GetString());
        Assert.Equal("admin@example.com", json.GetProperty("email").GetString());
        Assert.False(json.TryGetProperty("access_token", out _), "the access token is shown once, at creation");
        Assert.DoesNotContain(server.AgentToken, await admin.GetStringAsync("/api/v1/profile"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_of_a_created_agent_is_that_agent()
    {
        await using var server = await ChatServer.StartAsync();
        var created = await server.CreateAgent("Grace");
        using var grace = server.AgentHttp(created.AccessToken!);
        var profile = await grace.GetRead<AgentDto>("/api/v1/profile");
        Assert.Equal(created.Id, profile.Id);
        Assert.Equal("Grace", profile.Name);
        Assert.Equal("agent", profile.Role);
        Assert.Null(profile.AccessToken);
    }

    [Fact]
    public async Task Conversations_list_filters_by_status()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var open = await server.StartConversation(contact, "open one");
        var pending = await server.StartConversation(contact, "pending one");
        var resolved = await server.StartConversation(contact, "resolved one");
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(pending.Id)}/toggle_status", new { status = "pending" });
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(resolved.Id)}/toggle_status", new { status = "resolved" });

        async Task<List<long>> Ids(string query) => (await admin.ListAsAgent(query)).Data.Select(c => c.Id).Order().ToList();
        Assert.Equal([open.Id], await Ids("")); // open by default
        Assert.Equal([open.Id], await Ids("?status=open"));
        Assert.Equal([pending.Id], await Ids("?status=pending"));
        Assert.Equal([resolved.Id], await Ids("?status=resolved"));
        Assert.Equal([open.Id, pending.Id, resolved.Id], await Ids("?status=all"));
    }

    [Fact]
    public async Task Conversations_list_answers_data_and_meta_newest_activity_first()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var older = await server.StartConversation(contact, "first");
        var newer = await server.StartConversation(contact, "second");
        await Task.Delay(5); // activity is ordered by the millisecond: make sure the bump lands in a later one
        await server.SendAsContact(contact, older.Id, "bump"); // older now has the newest activity

        var json = await (await admin.GetAsync("/api/v1/conversations")).JsonBody();
        AssertFields(json, "data", "meta");
        AssertFields(json.GetProperty("meta"), "count", "page");
        Assert.Equal(2, json.GetProperty("meta").GetProperty("count").GetInt32());
        Assert.Equal(1, json.GetProperty("meta").GetProperty("page").GetInt32());
        foreach (var c in json.GetProperty("data").EnumerateArray()) AssertFields(c, ConversationFields);
        var ids = json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([older.Id, newer.Id], ids);
    }

    [Fact]
    public async Task Conversations_list_pages_with_meta_count_of_all_matches()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Limits:ConversationsPageSize"] = "2" });
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var started = new List<long>();
        for (var i = 0; i < 5; i++) started.Add((await server.StartConversation(contact, $"c{i}")).Id);

        var pages = new List<ConversationPageDto>();
        for (var page = 1; page <= 4; page++) pages.Add(await admin.ListAsAgent($"?page={page}"));

        Assert.All(pages, p => Assert.Equal(5, p.Meta.Count));
        Assert.Equal([1, 2, 3, 4], pages.Select(p => p.Meta.Page));
        Assert.Equal([2, 2, 1, 0], pages.Select(p => p.Data.Count));
        var seen = pages.SelectMany(p => p.Data).Select(c => c.Id).ToList();
        Assert.Equal(started.AsEnumerable().Reverse(), seen); // newest first, each once
    }

    [Fact]
    public async Task Conversations_list_filters_by_assignee()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var other = await server.CreateAgent("Heidi");
        var contact = await server.CreateContact();
        var mine = await server.StartConversation(contact, "mine");
        var theirs = await server.StartConversation(contact, "theirs");
        var nobodys = await server.StartConversation(contact, "nobody's");
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(mine.Id)}/assignments", new { assignee_id = 1 });
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(theirs.Id)}/assignments", new { assignee_id = other.Id });

        async Task<List<long>> Ids(string query) => (await admin.ListAsAgent(query)).Data.Select(c => c.Id).Order().ToList();
        Assert.Equal([mine.Id], await Ids("?assignee=me"));
        Assert.Equal([nobodys.Id], await Ids("?assignee=unassigned"));
        Assert.Equal([mine.Id, theirs.Id, nobodys.Id], await Ids("?assignee=all"));
        Assert.Equal([mine.Id, theirs.Id, nobodys.Id], await Ids(""));
    }

    [Fact]
    public async Task Conversations_list_filters_by_inbox_and_shows_only_member_inboxes()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var second = await server.CreateInbox("Second");
        await admin.PostJson($"/api/v1/inboxes/{second.Id}/members", new { agent_ids = new[] { 1L } });
        var inFirst = await server.StartConversation(await server.CreateContact());
        var secondContact = await server.CreateContactIn(second.Identifier, new { name = "S" });
        var inSecond = await server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{second.Identifier}/contacts/{secondContact.SourceId}/conversations", new { });
        var onlyFirst = await server.CreateAgent("Ivan", inboxId: 1);
        using var ivan = server.AgentHttp(onlyFirst.AccessToken!);

        Assert.Equal([inFirst.Id], (await admin.ListAsAgent("?inbox_id=1")).Data.Select(c => c.Id));
        Assert.Equal([inSecond.Id], (await admin.ListAsAgent($"?inbox_id={second.Id}")).Data.Select(c => c.Id));
        Assert.Equal(2, (await admin.ListAsAgent()).Meta.Count);

        var ivans = await ivan.ListAsAgent("?status=all");
        Assert.Equal([inFirst.Id], ivans.Data.Select(c => c.Id));
        Assert.Equal(1, ivans.Meta.Count);
        await (await ivan.GetAsync($"/api/v1/conversations?inbox_id={second.Id}")).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Get_conversation_and_messages_answer_the_agent_view()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact("Judy");
        var conversation = await server.StartConversation(contact, "m1");
        var sent = new List<MessageDto> { conversation.Messages[0] };
        for (var i = 2; i <= 12; i++) sent.Add(await server.SendAsContact(contact, conversation.Id, $"m{i}"));

        var json = await (await admin.GetAsync(AgentConversationPath(conversation.Id))).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal(contact.Id, json.GetProperty("contact_id").GetInt64());
        Assert.Equal(12, json.GetProperty("messages").GetArrayLength());

        var messages = await admin.MessagesAsAgent(conversation.Id);
        Assert.Equal(sent.Select(m => m.Id), messages.Select(m => m.Id));
        var page = await admin.MessagesAsAgent(conversation.Id, $"?before={sent[10].Id}&limit=3");
        Assert.Equal(sent.Skip(7).Take(3).Select(m => m.Id), page.Select(m => m.Id));
        var after = await admin.MessagesAsAgent(conversation.Id, "?after_seq=10");
        Assert.Equal([11L, 12L], after.Select(m => m.Seq));
    }

    [Fact]
    public async Task Agent_message_is_outgoing_and_signed_by_the_agent()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");

        var json = await (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/messages",
            new { content = "Hello from support", echo_id = "a-1" })).JsonBody();
        AssertFields(json, MessageFields);
        Assert.Equal(MessageTypes.Outgoing, json.GetProperty("message_type").GetInt32());
        Assert.Equal(2, json.GetProperty("seq").GetInt64());
        Assert.False(json.GetProperty("private").GetBoolean());
        Assert.Equal("a-1", json.GetProperty("echo_id").GetString());
        Assert.Equal(1, json.GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal("agent", json.GetProperty("sender").GetProperty("type").GetString());

        var seenByContact = await server.MessagesAsContact(contact, conversation.Id);
        Assert.Equal("Hello from support", seenByContact.Last().Content);
    }

    [Fact]
    public async Task Private_notes_are_seen_by_agents_and_never_by_the_contact_whose_seq_has_no_gap()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "my order is late");
        var note = await admin.SendAsAgent(conversation.Id, "customer is VIP, refund shipping", isPrivate: true);
        var reply = await admin.SendAsAgent(conversation.Id, "Sorry! Refunded your shipping.");

        Assert.True(note.Private);
        var agentView = await admin.MessagesAsAgent(conversation.Id);
        Assert.Equal([1L, 2L, 3L], agentView.Select(m => m.Seq));
        Assert.Contains(agentView, m => m.Id == note.Id && m.Private);
        Assert.Equal(3, (await admin.ConversationAsAgent(conversation.Id)).Seq);

        var contactView = await server.MessagesAsContact(contact, conversation.Id);
        Assert.DoesNotContain(contactView, m => m.Id == note.Id || m.Private);
        Assert.Equal([1L, 2L], contactView.Select(m => m.Seq)); // no gap where the note was
        Assert.Equal(reply.Id, contactView[1].Id);
        var contactConversation = await server.ConversationAsContact(contact, conversation.Id);
        Assert.Equal(2, contactConversation.Seq);
        Assert.DoesNotContain(contactConversation.Messages, m => m.Id == note.Id);
        Assert.DoesNotContain(await server.MessagesAsContact(contact, conversation.Id, "?after_seq=0"), m => m.Id == note.Id);
        var list = await server.Http.GetRead<List<ConversationDto>>($"{server.ContactPath(contact)}/conversations");
        Assert.DoesNotContain(list.Single().Messages, m => m.Id == note.Id);
    }

    [Fact]
    public async Task Agent_sends_interactive_content_types()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");

        var message = await admin.SendAsAgent(conversation.Id, "Rate us", contentType: "input_csat");
        Assert.Equal("input_csat", message.ContentType);
        await (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/messages", new { content = "x", content_type = "hologram" }))
            .AssertValidation("content_type");
    }

    [Fact]
    public async Task Assignments_assign_a_member_unassign_with_null_and_refuse_non_members()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var member = await server.CreateAgent("Kim", inboxId: 1);
        var outsider = await server.CreateAgent("Lee", inboxId: null);
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var path = $"{AgentConversationPath(conversation.Id)}/assignments";

        var json = await (await admin.PostJson(path, new { assignee_id = member.Id })).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal(member.Id, json.GetProperty("assignee_id").GetInt64());
        Assert.Equal(member.Id, (await admin.ConversationAsAgent(conversation.Id)).AssigneeId);

        await (await admin.PostJson(path, new { assignee_id = outsider.Id })).AssertValidation("assignee_id");
        await (await admin.PostJson(path, new { assignee_id = 999_999 })).AssertValidation("assignee_id");
        Assert.Equal(member.Id, (await admin.ConversationAsAgent(conversation.Id)).AssigneeId);

        var unassigned = await admin.PostRead<ConversationDto>(path, new { assignee_id = (long?)null });
        Assert.Null(unassigned.AssigneeId);
        Assert.Null((await admin.ConversationAsAgent(conversation.Id)).AssigneeId);

        var activity = (await admin.MessagesAsAgent(conversation.Id)).Where(m => m.MessageType == MessageTypes.Activity).ToList();
        Assert.Equal(2, activity.Count); // "Assigned to Kim", "unassigned"
        Assert.Contains("Kim", activity[0].Content);
    }

    [Fact]
    public async Task Toggle_status_sets_a_given_status_or_toggles_open_and_resolved()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var path = $"{AgentConversationPath(conversation.Id)}/toggle_status";

        Assert.Equal("pending", (await admin.PostRead<ConversationDto>(path, new { status = "pending" })).Status);
        Assert.Equal("open", (await admin.PostRead<ConversationDto>(path, new { status = "open" })).Status);
        Assert.Equal("resolved", (await admin.PostRead<ConversationDto>(path, null)).Status);
        Assert.Equal("open", (await admin.PostRead<ConversationDto>(path, null)).Status);
        Assert.Equal("resolved", (await admin.PostRead<ConversationDto>(path, new { })).Status);
        Assert.Equal("resolved", (await admin.ConversationAsAgent(conversation.Id)).Status);
        await (await admin.PostJson(path, new { status = "closed" })).AssertValidation("status");
    }

    [Fact]
    public async Task Toggle_typing_accepts_on_and_off_and_refuses_anything_else()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var conversation = await server.StartConversation(await server.CreateContact(), "hi");
        var path = $"{AgentConversationPath(conversation.Id)}/toggle_typing";

        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson(path, new { typing_status = "on" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson(path, new { typing_status = "off" })).StatusCode);
        await (await admin.PostJson(path, new { typing_status = "typing" })).AssertValidation("typing_status");
        await (await admin.PostJson(path, null)).AssertValidation("typing_status");
    }

    [Fact]
    public async Task Update_last_seen_sets_agent_last_seen_at_and_marks_contact_messages_read()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "anyone there?");
        Assert.Equal("sent", (await server.MessagesAsContact(contact, conversation.Id)).Single().Status);

        var from = NowSeconds();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/update_last_seen", null)).StatusCode);
        var to = NowSeconds();

        var seen = await admin.ConversationAsAgent(conversation.Id);
        AssertUnixSeconds(seen.AgentLastSeenAt, from, to);
        Assert.Null(seen.ContactLastSeenAt);
        Assert.Equal("read", (await server.MessagesAsContact(contact, conversation.Id)).Single().Status);
        Assert.Equal("read", (await admin.MessagesAsAgent(conversation.Id)).Single().Status);
    }
}
