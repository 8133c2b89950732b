using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Operations;

/// <summary>Calls every REST operation once with success, as their clients do, and a few of their errors, through
/// clients that record every answer (<see cref="OpenApiTests"/>). A new endpoint needs a line here: the test says so.</summary>
internal sealed class Tour(ChatServer server, List<Exchange> recorded)
{
    private HttpClient Client(string? token = null)
    {
        var http = new HttpClient(new RecordingHandler(recorded)) { BaseAddress = server.BaseUrl };
        if (token is not null) http.DefaultRequestHeaders.Add("api_access_token", token);
        return http;
    }

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> call, string what)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string path, object body) => http.PostAsync(path, Json(body));
    private static Task<HttpResponseMessage> Patch(HttpClient http, string path, object body) => http.PatchAsync(path, Json(body));
    private static Task<HttpResponseMessage> Put(HttpClient http, string path, object body) => http.PutAsync(path, Json(body));
    private static MultipartFormDataContent File(byte[] bytes, string name, string type, string field = "file")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { file, field, name } };
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, RestApi.Json), Encoding.UTF8, "application/json");

    public async Task RunAsync()
    {
        using var anonymous = Client();
        using var admin = Client(server.AgentToken);

        // Operations and the widget.
        await Ok(anonymous.GetAsync("/healthz"), "health");
        await Ok(anonymous.GetAsync("/demo/config"), "demo config");
        var inbox = $"/public/api/v1/inboxes/{server.InboxIdentifier}";
        await Ok(anonymous.GetAsync(inbox), "inbox");
        // Visitors on the site: the widget's reports, the agents' list, a chat started with the visitor.
        const string visitorToken = "tour-visitor-token-0001";
        var visit = await Ok(Post(anonymous, $"{inbox}/visitors/page_views", new
        {
            visitor_token = visitorToken, url = "https://shop.example.com/", title = "Shop", referrer = "https://search.example.com/", visits = 1,
        }), "visitor page view");
        var visitors = await Ok(admin.GetAsync("/api/v1/visitors"), "list visitors");
        var visitorInbox = visitors.GetProperty("payload")[0].GetProperty("inbox_id").GetInt64();
        await Ok(Post(admin, $"/api/v1/inboxes/{visitorInbox}/visitors/{visit.GetProperty("visitor_id").GetString()}/conversations",
            new { content = "Hello from the tour" }), "start a chat with a visitor");
        await Ok(Post(anonymous, $"{inbox}/visitors/heartbeat", new { visitor_token = visitorToken }), "visitor heartbeat");

        // The client API, as a customer's widget calls it.
        var contact = await Ok(Post(anonymous, $"{inbox}/contacts", new { name = "Tour Customer", email = "tour@example.com" }), "create contact");
        var me = $"{inbox}/contacts/{contact.GetProperty("source_id").GetString()}";
        await Ok(anonymous.GetAsync(me), "get contact");
        await Ok(Patch(anonymous, me, new { name = "Tour Customer 2", custom_attributes = new { plan = "pro" } }), "update contact");
        var conversation = await Ok(Post(anonymous, $"{me}/conversations", new { message = new { content = "Hello, tour" } }), "start conversation");
        var conversationId = conversation.GetProperty("id").GetInt64();
        var mine = $"{me}/conversations/{conversationId}";
        await Ok(anonymous.GetAsync($"{me}/conversations"), "list conversations");
        await Ok(anonymous.GetAsync(mine), "get conversation");
        await Ok(Post(anonymous, $"{mine}/messages", new { content = "A second message", echo_id = "tour-1" }), "send message");
        await Ok(anonymous.GetAsync($"{mine}/messages"), "get messages");
        await Ok(anonymous.PostAsync($"{mine}/toggle_typing?typing_status=on", null), "typing");
        await Ok(anonymous.PostAsync($"{mine}/update_last_seen", null), "seen");
        await Ok(anonymous.PostAsync($"{mine}/transcript", null), "transcript");

        // Files: the hub's flow (upload, then send by id) and the download.
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var upload = await Ok(anonymous.PostAsync($"{me}/uploads", File(png, "dot.png", "image/png")), "customer upload");
        // Chatwoot's way: the message and its files in one multipart POST.
        var withFile = File(png, "dot.png", "image/png", field: "attachments[]");
        withFile.Add(new StringContent("a file"), "content");
        await Ok(anonymous.PostAsync($"{mine}/messages", withFile), "send with file");
        var dataUrl = upload.GetProperty("data_url").GetString()!;
        var download = await anonymous.GetAsync(dataUrl);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());

        // ChatHub's agent API.
        var agentConversation = $"/api/v1/conversations/{conversationId}";
        await Ok(admin.GetAsync("/api/v1/profile"), "profile");
        await Ok(admin.GetAsync("/api/v1/conversations?status=all"), "agent list");
        await Ok(admin.GetAsync(agentConversation), "agent conversation");
        var question = await Ok(Post(admin, $"{agentConversation}/messages", new
        {
            content = "Which plan?", content_type = "input_select",
            content_attributes = new { items = new[] { new { title = "Pro", value = "pro" } } },
        }), "agent message");
        await Ok(admin.GetAsync($"{agentConversation}/messages"), "agent messages");
        await Ok(Post(admin, $"{agentConversation}/assignments", new { assignee_id = 1 }), "assign");
        await Ok(Post(admin, $"{agentConversation}/toggle_status", new { status = "pending" }), "status");
        await Ok(Post(admin, $"{agentConversation}/toggle_typing", new { typing_status = "on" }), "agent typing");
        await Ok(admin.PostAsync($"{agentConversation}/update_last_seen", null), "agent seen");
        await Ok(admin.PostAsync("/api/v1/uploads", File(png, "agent.png", "image/png")), "agent upload");
        await Ok(Patch(anonymous, $"{mine}/messages/{question.GetProperty("id").GetInt64()}",
            new { submitted_values = new[] { new { title = "Pro", value = "pro" } } }), "submit values");

        // Chatwoot's application API, as a bot calls it.
        var account = "/api/v1/accounts/1";
        var appConversation = $"{account}/conversations/{conversationId}";
        await Ok(admin.GetAsync($"{account}/profile"), "app profile");
        await Ok(admin.GetAsync($"{account}/conversations?status=all"), "app list");
        await Ok(admin.GetAsync(appConversation), "app conversation");
        await Ok(admin.GetAsync($"{appConversation}/messages"), "app messages");
        await Ok(Post(admin, $"{appConversation}/messages", new { content = "From a bot", message_type = "outgoing" }), "app send");
        await Ok(Post(admin, $"{appConversation}/assignments", new { assignee_id = 1 }), "app assign");
        await Ok(Post(admin, $"{appConversation}/toggle_status", new { status = "open" }), "app status");
        await Ok(Post(admin, $"{appConversation}/toggle_typing_status", new { typing_status = "off" }), "app typing");
        await Ok(admin.PostAsync($"{appConversation}/update_last_seen", null), "app seen");
        var label = await Ok(Post(admin, $"{account}/labels", new { title = "Tour", description = "A tour", color = "#00ff00", show_on_sidebar = true }), "create label");
        var labelId = label.GetProperty("id").GetInt64();
        await Ok(admin.GetAsync($"{account}/labels"), "list labels");
        await Ok(Patch(admin, $"{account}/labels/{labelId}", new { description = "Still a tour" }), "patch label");
        await Ok(Put(admin, $"{account}/labels/{labelId}", new { label = new { color = "#0000ff" } }), "put label");
        await Ok(Post(admin, $"{appConversation}/labels", new { labels = new[] { "tour" } }), "set conversation labels");
        await Ok(admin.GetAsync($"{appConversation}/labels"), "conversation labels");
        await Ok(Post(admin, $"{appConversation}/toggle_priority", new { priority = "high" }), "app priority");
        await Ok(admin.DeleteAsync($"{account}/labels/{labelId}"), "delete label");
        await Ok(Post(admin, $"{appConversation}/toggle_status", new { status = "snoozed", snoozed_until = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() }), "app snooze");
        await Ok(anonymous.PostAsync($"{mine}/toggle_status", null), "customer resolves");
        await Ok(admin.GetAsync($"{account}/conversations/meta?status=all"), "app counts");
        await Ok(admin.GetAsync($"{account}/agents"), "app agents");
        await Ok(admin.GetAsync($"{account}/inboxes"), "app inboxes");
        await Ok(admin.GetAsync($"{account}/inboxes/1"), "app inbox");
        var appContact = await Ok(Post(admin, $"{account}/contacts", new { inbox_id = 1, name = "Tour Lead", email = "lead@example.com" }), "app create contact");
        var appContactPath = $"{account}/contacts/{appContact.GetProperty("payload").GetProperty("contact").GetProperty("id").GetInt64()}";
        await Ok(admin.GetAsync($"{account}/contacts"), "app contacts");
        await Ok(admin.GetAsync($"{account}/contacts/search?q=lead"), "app search contacts");
        // Search (issue 25).
        await Ok(admin.GetAsync($"{account}/search?q=lead"), "search everything");
        await Ok(admin.GetAsync($"{account}/search/conversations?q=lead"), "search conversations");
        await Ok(admin.GetAsync($"{account}/search/contacts?q=lead"), "search contacts");
        await Ok(admin.GetAsync($"{account}/search/messages?q=lead"), "search messages");
        await Ok(admin.GetAsync($"{account}/conversations/search?q=lead"), "conversations search");
        await Ok(admin.GetAsync(appContactPath), "app contact");
        await Ok(Put(admin, appContactPath, new { phone_number = "+1 555 0100" }), "app put contact");
        await Ok(Patch(admin, appContactPath, new { custom_attributes = new { tier = "gold" } }), "app patch contact");
        await Ok(Post(admin, $"{account}/conversations", new
        {
            inbox_id = 1, contact_id = appContact.GetProperty("payload").GetProperty("contact").GetProperty("id").GetInt64(),
            message = new { content = "Hello from a bot" },
        }), "app open conversation");
        await Ok(admin.GetAsync($"{appContactPath}/conversations"), "app contact conversations");

        // Administration.
        var agent = await Ok(Post(admin, "/api/v1/agents", new { name = "Tour Agent", email = $"tour-{Guid.NewGuid():N}@example.com", role = "agent" }), "create agent");
        var agentId = agent.GetProperty("id").GetInt64();
        var newInbox = await Ok(Post(admin, "/api/v1/inboxes", new { name = "Tour inbox" }), "create inbox");
        await Ok(admin.GetAsync("/api/v1/inboxes"), "list inboxes");
        await Ok(Patch(admin, $"{account}/inboxes/{newInbox.GetProperty("id").GetInt64()}", new { working_hours_enabled = false, out_of_office_message = "Back soon." }),
            "app update inbox");
        await Ok(Patch(admin, $"/api/v1/inboxes/{newInbox.GetProperty("id").GetInt64()}", new { greeting_message = "Hi!", csat_survey_enabled = true }), "update inbox");
        await Ok(Post(admin, $"/api/v1/inboxes/{newInbox.GetProperty("id").GetInt64()}/members", new { agent_ids = new[] { agentId } }), "members");
        await Ok(admin.GetAsync($"/api/v1/inboxes/{newInbox.GetProperty("id").GetInt64()}/members"), "list members");
        await Ok(admin.DeleteAsync($"/api/v1/inboxes/{newInbox.GetProperty("id").GetInt64()}/members/{agentId}"), "remove member");
        var inboxMembers = new { inbox_id = newInbox.GetProperty("id").GetInt64(), user_ids = new[] { agentId } };
        await Ok(Post(admin, $"{account}/inbox_members", inboxMembers), "app add members");
        await Ok(Patch(admin, $"{account}/inbox_members", inboxMembers), "app set members");
        await Ok(admin.GetAsync($"{account}/inbox_members/{newInbox.GetProperty("id").GetInt64()}"), "app list members");
        await Ok(admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{account}/inbox_members") { Content = Json(inboxMembers) }), "app remove members");
        // Teams and auto-assignment.
        var tourInbox = newInbox.GetProperty("id").GetInt64();
        await Ok(Patch(admin, $"{account}/inboxes/{tourInbox}", new { enable_auto_assignment = true, auto_assignment_config = new { max_assignment_limit = 5 } }), "app update inbox");
        await Ok(admin.GetAsync($"{account}/assignable_agents?inbox_ids[]=1"), "assignable agents");
        var team = await Ok(Post(admin, $"{account}/teams", new { name = "Tour team", description = "A tour" }), "create team");
        var teamPath = $"{account}/teams/{team.GetProperty("id").GetInt64()}";
        await Ok(admin.GetAsync($"{account}/teams"), "list teams");
        await Ok(admin.GetAsync(teamPath), "team");
        await Ok(Patch(admin, teamPath, new { description = "Still a tour" }), "patch team");
        await Ok(Put(admin, teamPath, new { team = new { name = "Tour team 2" } }), "put team");
        var teamMembers = new { user_ids = new[] { agentId } };
        await Ok(Post(admin, $"{teamPath}/team_members", teamMembers), "add team members");
        await Ok(Patch(admin, $"{teamPath}/team_members", teamMembers), "set team members");
        await Ok(admin.GetAsync($"{teamPath}/team_members"), "team members");
        await Ok(admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{teamPath}/team_members") { Content = Json(teamMembers) }), "remove team members");
        await Ok(Post(admin, $"{appConversation}/assignments", new { team_id = team.GetProperty("id").GetInt64() }), "app assign team");
        await Ok(admin.DeleteAsync(teamPath), "delete team");
        // Canned responses.
        var canned = await Ok(Post(admin, $"{account}/canned_responses", new { short_code = "tour", content = "Hi {{contact.name}}" }), "create canned response");
        var cannedPath = $"{account}/canned_responses/{canned.GetProperty("id").GetInt64()}";
        await Ok(admin.GetAsync($"{account}/canned_responses?search=tour"), "list canned responses");
        await Ok(Patch(admin, cannedPath, new { content = "Hello {{contact.name}}" }), "patch canned response");
        await Ok(Put(admin, cannedPath, new { canned_response = new { short_code = "tour-2" } }), "put canned response");
        await Ok(admin.DeleteAsync(cannedPath), "delete canned response");
        // Contact notes.
        var note = await Ok(Post(admin, $"{appContactPath}/notes", new { content = "Tour note" }), "create contact note");
        var notePath = $"{appContactPath}/notes/{note.GetProperty("id").GetInt64()}";
        await Ok(admin.GetAsync($"{appContactPath}/notes"), "list contact notes");
        await Ok(admin.GetAsync(notePath), "contact note");
        await Ok(Patch(admin, notePath, new { content = "Tour note, changed" }), "patch contact note");
        await Ok(Put(admin, notePath, new { note = new { content = "Tour note, put" } }), "put contact note");
        await Ok(admin.DeleteAsync(notePath), "delete contact note");
        // Campaigns and the post-chat form (issue 27).
        var campaign = await Ok(Post(admin, $"{account}/campaigns", new
        {
            title = "Tour campaign", message = "Need a hand?", inbox_id = 1, trigger_rules = new { url = "https://shop.example/*", time_on_page = 3 },
        }), "create campaign");
        var campaignId = campaign.GetProperty("id").GetInt64();
        var campaignPath = $"{account}/campaigns/{campaignId}";
        await Ok(admin.GetAsync($"{account}/campaigns"), "list campaigns");
        await Ok(admin.GetAsync(campaignPath), "campaign");
        await Ok(Patch(admin, campaignPath, new { enabled = true }), "patch campaign");
        await Ok(Put(admin, campaignPath, new { campaign = new { title = "Tour campaign 2" } }), "put campaign");
        await Ok(anonymous.GetAsync($"{inbox}/campaigns"), "widget campaigns");
        await Ok(Post(anonymous, $"{me}/conversations", new { campaign_id = campaignId, message = new { content = "Yes please" } }), "start from campaign");
        await Ok(Put(admin, $"{account}/inboxes/1/post_chat_form", new
        {
            questions = new[] { new { id = "more", label = "Anything else?", type = "text", required = false } },
        }), "set post-chat form");
        await Ok(admin.GetAsync($"{account}/inboxes/1/post_chat_form"), "post-chat form");
        await Ok(anonymous.GetAsync($"{inbox}/post_chat_form"), "widget post-chat form");
        await Ok(Post(anonymous, $"{mine}/post_chat_answers", new { answers = new { more = "All good" } }), "answer post-chat form");
        await Ok(admin.GetAsync($"{appConversation}/post_chat_answers"), "post-chat answers");
        await Ok(admin.DeleteAsync(campaignPath), "delete campaign");
        // Reports (issue 25), on Chatwoot's v2 paths.
        var reports = $"/api/v2/accounts/1/reports";
        var period = $"since={DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86_400}&until={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60}";
        await Ok(admin.GetAsync($"{reports}/overview?{period}&timezone=Europe/Berlin"), "report");
        await Ok(admin.GetAsync($"{reports}/summary?{period}&type=inbox&id=1"), "report summary");
        await Ok(admin.GetAsync($"{reports}?metric=avg_first_response_time&{period}"), "report timeseries");
        foreach (var csv in new[] { "conversations.csv", "csat.csv" })
        {
            var csvAnswer = await admin.GetAsync($"{reports}/{csv}?{period}");
            Assert.True(csvAnswer.IsSuccessStatusCode, $"{csv}: {(int)csvAnswer.StatusCode}");
        }
        await Ok(admin.GetAsync("/api/v1/agents"), "list agents");
        await Ok(Patch(admin, $"/api/v1/agents/{agentId}", new { active = false }), "deactivate agent");
        await Ok(Patch(admin, $"/api/v1/agents/{agentId}", new { active = true }), "reactivate agent");
        var reset = await Ok(admin.PostAsync($"/api/v1/agents/{agentId}/reset_access_token", null), "reset agent token");
        using var tourAgentBefore = Client(reset.GetProperty("access_token").GetString());
        var ownReset = await Ok(tourAgentBefore.PostAsync("/api/v1/profile/reset_access_token", null), "reset own token");
        using var tourAgent = Client(ownReset.GetProperty("access_token").GetString());

        // Accounts: an invitation accepted, a password sign-in, the profile edited, a reset link, sign-outs.
        Assert.StartsWith("/agent/#invite=", agent.GetProperty("invitation").GetProperty("url").GetString());
        // The agent's deactivation above ended the invitation it was created with: a new one.
        var link = await Ok(Post(admin, $"/api/v1/agents/{agentId}/account_link", new { }), "invitation link");
        var invitation = link.GetProperty("url").GetString()!.Split("#invite=")[1];
        await Ok(Put(anonymous, "/auth/password", new { reset_password_token = invitation, password = "tour password" }), "accept invitation");
        var signedIn = await Ok(Post(anonymous, "/auth/sign_in", new { email = agent.GetProperty("email").GetString(), password = "tour password" }), "sign in");
        using var session = Client(signedIn.GetProperty("data").GetProperty("access_token").GetString());
        await Ok(session.GetAsync("/auth/validate_token"), "validate token");
        var avatar = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        var edit = File(avatar, "me.png", "image/png", "profile[avatar]");
        edit.Add(new StringContent("Tour Agent Renamed"), "profile[display_name]");
        var profile = await Ok(session.PatchAsync("/api/v1/profile", edit), "edit profile");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(profile.GetProperty("avatar_url").GetString())).StatusCode);
        await Ok(Post(admin, $"/api/v1/agents/{agentId}/account_link", new { purpose = "password_reset" }), "reset link");
        await Ok(session.DeleteAsync("/auth/sign_out"), "sign out");
        var again = await Ok(Post(anonymous, "/auth/sign_in", new { email = agent.GetProperty("email").GetString(), password = "tour password" }), "sign in again");
        using var sessionAgain = Client(again.GetProperty("data").GetProperty("access_token").GetString());
        await Ok(sessionAgain.DeleteAsync("/auth/sessions"), "sign out everywhere");

        // Webhooks, both paths.
        foreach (var webhooks in new[] { $"{account}/webhooks", "/api/v1/webhooks" })
        {
            var created = await Ok(Post(admin, webhooks, new { url = "http://127.0.0.1:9/hook", subscriptions = new[] { "message_created" } }), "create webhook");
            var id = created.GetProperty("payload").GetProperty("webhook").GetProperty("id").GetInt64();
            await Ok(admin.GetAsync(webhooks), "list webhooks");
            await Ok(Patch(admin, $"{webhooks}/{id}", new { subscriptions = new[] { "message_created", "conversation_created" } }), "patch webhook");
            await Ok(Put(admin, $"{webhooks}/{id}", new { webhook = new { url = "http://127.0.0.1:9/other" } }), "put webhook");
            await Ok(admin.GetAsync($"{webhooks}/{id}/deliveries"), "deliveries");
            await Ok(admin.DeleteAsync($"{webhooks}/{id}"), "delete webhook");
        }

        // Errors, as problem details.
        using var stranger = Client("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(tourAgent, "/api/v1/inboxes", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/conversations/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Post(anonymous, $"{mine}/messages", new { content = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await anonymous.PostAsync($"{mine}/messages", new StringContent("content=x", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await anonymous.PostAsync($"{mine}/messages", new StringContent("{not json", Encoding.UTF8, "application/json"))).StatusCode);
    }
}
