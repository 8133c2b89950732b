using System.Net;
using System.Text;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>API.md "Errors" and "Limits" over REST: RFC 9457 problem details with API.md's codes, 4xx for every
/// bad input (never a 5xx), 413 for large bodies and 429 with Retry-After for floods.</summary>
public sealed class RestErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private async Task<(ChatServer Server, ContactDto Contact, ConversationDto Conversation)> StartWithConversation()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Zoe");
        var conversation = await server.StartConversation(contact, "hi");
        return (server, contact, conversation);
    }

    [Fact]
    public async Task Validation_problem_has_status_title_detail_message_and_field_errors()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var response = await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = "" });

        var problem = await response.AssertValidation("content");
        Assert.Equal("content must not be empty", problem.GetProperty("errors").GetProperty("content")[0].GetString());
        Assert.Contains("content must not be empty", problem.GetProperty("detail").GetString());
        Assert.Equal(problem.GetProperty("detail").GetString(), problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_body_of_a_type_not_accepted_is_a_415_naming_the_type_sent_and_the_types_accepted()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var response = await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages",
            new StringContent("content=hi", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ErrorCodes.Validation, problem.GetProperty("title").GetString());
        Assert.Contains("text/plain", problem.GetProperty("detail").GetString());
        Assert.Contains("send application/json, application/x-www-form-urlencoded or multipart/form-data", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_validation_problem()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var path = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        foreach (var body in new[] { "{", "{\"content\": }", "not json", "{\"content\":\"x\"}}", "\"content\"" })
        {
            var response = await server.Http.PostAsync(path, RawJson(body));
            await response.AssertProblem(HttpStatusCode.BadRequest, ErrorCodes.Validation);
        }
    }

    [Fact]
    public async Task Unreadable_bodies_and_parameters_name_the_field_in_errors_without_internal_type_names()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var path = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        async Task<string> FieldOf(HttpResponseMessage response)
        {
            var problem = await response.AssertProblem(HttpStatusCode.BadRequest, ErrorCodes.Validation);
            var errors = problem.GetProperty("errors").EnumerateObject().ToList();
            var field = Assert.Single(errors);
            Assert.NotEmpty(field.Value.EnumerateArray());
            foreach (var leak in new[] { "MessageBody", "Nullable", "System.", "Int32", "Int64" })
                Assert.DoesNotContain(leak, problem.ToString(), StringComparison.Ordinal);
            return field.Name;
        }

        Assert.Equal("body", await FieldOf(await server.Http.PostAsync(path, RawJson("{"))));
        Assert.Equal("body", await FieldOf(await server.Http.PostAsync(path, RawJson("[1]"))));
        Assert.Equal("content", await FieldOf(await server.Http.PostAsync(path, RawJson("""{"content": 42}"""))));
        Assert.Equal("message.content", await FieldOf(await server.Http.PostAsync($"{server.ContactPath(contact)}/conversations",
            RawJson("""{"message": {"content": 42}}"""))));
        Assert.Equal("limit", await FieldOf(await server.Http.GetAsync($"{path}?limit=abc")));
        Assert.Equal("after_seq", await FieldOf(await server.Http.GetAsync($"{path}?after_seq=x")));
        using var admin = server.AdminHttp();
        Assert.Equal("inbox_id", await FieldOf(await admin.GetAsync("/api/v1/conversations?inbox_id=x")));
    }

    [Fact]
    public async Task Wrong_json_types_are_4xx_problems()
    {
        var (server, contact, conversation) = await StartWithConversation();
        using var admin = server.AdminHttp();
        var contactPath = server.ConversationPath(contact, conversation.Id);
        var agentPath = AgentConversationPath(conversation.Id);

        var cases = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("content number", () => server.Http.PostAsync($"{contactPath}/messages", RawJson("""{"content": 42}"""))),
            ("content object", () => server.Http.PostAsync($"{contactPath}/messages", RawJson("""{"content": {"a": 1}}"""))),
            ("body array", () => server.Http.PostAsync($"{contactPath}/messages", RawJson("""["hi"]"""))),
            ("echo_id number", () => server.Http.PostAsync($"{contactPath}/messages", RawJson("""{"content": "x", "echo_id": 7}"""))),
            ("content_attributes array", () => admin.PostAsync($"{agentPath}/messages", RawJson("""{"content": "x", "content_attributes": [1]}"""))),
            ("content_attributes string", () => admin.PostAsync($"{agentPath}/messages", RawJson("""{"content": "x", "content_attributes": "a"}"""))),
            ("private string", () => admin.PostAsync($"{agentPath}/messages", RawJson("""{"content": "x", "private": "yes"}"""))),
            ("assignee_id string", () => admin.PostAsync($"{agentPath}/assignments", RawJson("""{"assignee_id": "me"}"""))),
            ("assignee_id huge", () => admin.PostAsync($"{agentPath}/assignments", RawJson("""{"assignee_id": 1e300}"""))),
            ("assignee_id negative", () => admin.PostAsync($"{agentPath}/assignments", RawJson("""{"assignee_id": -5}"""))),
            ("status number", () => admin.PostAsync($"{agentPath}/toggle_status", RawJson("""{"status": 1}"""))),
            ("typing_status bool", () => server.Http.PostAsync($"{contactPath}/toggle_typing", RawJson("""{"typing_status": true}"""))),
            ("custom_attributes array", () => server.Http.PostAsync($"{server.ClientApi}/contacts", RawJson("""{"custom_attributes": [1, 2]}"""))),
            ("name number", () => server.Http.PostAsync($"{server.ClientApi}/contacts", RawJson("""{"name": 5}"""))),
            ("message string", () => server.Http.PostAsync($"{server.ContactPath(contact)}/conversations", RawJson("""{"message": "hi"}"""))),
            ("submitted_values string", () => server.Http.PatchAsync($"{contactPath}/messages/{conversation.Messages[0].Id}", RawJson("""{"submitted_values": "x"}"""))),
            ("agent_ids strings", () => admin.PostAsync("/api/v1/inboxes/1/members", RawJson("""{"agent_ids": ["a"]}"""))),
            ("hmac_mandatory string", () => admin.PostAsync("/api/v1/inboxes", RawJson("""{"name": "x", "hmac_mandatory": "yes"}"""))),
            ("deep nesting", () => admin.PostAsync($"{agentPath}/messages", RawJson("{\"content\":\"x\",\"content_attributes\":" + new string('[', 5000) + new string(']', 5000) + "}"))),
            ("invalid utf-8", () => server.Http.PostAsync($"{contactPath}/messages",
                new ByteArrayContent([.. "{\"content\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]) { Headers = { { "Content-Type", "application/json" } } })),
            ("text/plain body", () => server.Http.PostAsync($"{contactPath}/messages", new StringContent("{\"content\":\"x\"}", Encoding.UTF8, "text/plain"))),
        };
        foreach (var (what, send) in cases) await (await send()).AssertClientError(what);
        Assert.Single(await server.MessagesAsContact(contact, conversation.Id));
    }

    [Fact]
    public async Task Bad_query_parameters_are_4xx_problems()
    {
        var (server, contact, conversation) = await StartWithConversation();
        using var admin = server.AdminHttp();
        var messages = $"{server.ConversationPath(contact, conversation.Id)}/messages";
        var agentMessages = $"{AgentConversationPath(conversation.Id)}/messages";

        await (await server.Http.GetAsync($"{messages}?limit=0")).AssertValidation("limit");
        await (await server.Http.GetAsync($"{messages}?limit=101")).AssertValidation("limit");
        await (await admin.GetAsync($"{agentMessages}?limit=0")).AssertValidation("limit");
        await (await admin.GetAsync($"{agentMessages}?limit=101")).AssertValidation("limit");
        Assert.Single(await server.MessagesAsContact(contact, conversation.Id, "?limit=100"));
        Assert.Single(await server.MessagesAsContact(contact, conversation.Id, "?limit=1"));

        var bad = new[]
        {
            $"{messages}?limit=-1", $"{messages}?limit=abc", $"{messages}?limit=99999999999999", $"{messages}?before=0",
            $"{messages}?before=-3", $"{messages}?before=x", $"{messages}?after_seq=-1", $"{messages}?after_seq=1.5",
            $"{agentMessages}?before=abc", "/api/v1/conversations?status=closed", "/api/v1/conversations?assignee=you",
            "/api/v1/conversations?page=0", "/api/v1/conversations?page=-1", "/api/v1/conversations?page=abc",
            "/api/v1/conversations?page=99999999999", "/api/v1/conversations?inbox_id=abc",
        };
        foreach (var path in bad)
        {
            var http = path.StartsWith("/api/", StringComparison.Ordinal) ? admin : server.Http;
            await (await http.GetAsync(path)).AssertClientError(path);
        }
    }

    [Fact]
    public async Task Unknown_routes_and_ids_are_4xx_problems_never_5xx()
    {
        var (server, contact, conversation) = await StartWithConversation();
        using var admin = server.AdminHttp();
        var paths = new[]
        {
            "/api/v1/nothing-here", "/api/v1/conversations/abc", $"/api/v1/conversations/{long.MaxValue}",
            "/api/v1/conversations/99999999999999999999999", "/api/v1/conversations/-1", "/api/v1/conversations/0/messages",
            $"{server.ConversationPath(contact, 0)}", $"{server.ConversationPath(contact, long.MaxValue)}/messages",
            $"{server.ContactPath(contact)}/conversations/abc", $"{server.ClientApi}/contacts/{new string('s', 3000)}",
            $"{server.ClientApi}/contacts/{Uri.EscapeDataString("' OR 1=1 --")}",
        };
        foreach (var path in paths)
        {
            var http = path.StartsWith("/api/", StringComparison.Ordinal) ? admin : server.Http;
            await (await http.GetAsync(path)).AssertClientError(path);
        }
        await (await server.Http.PatchJson($"{server.ConversationPath(contact, conversation.Id)}/messages/999999",
            new { submitted_values = new { a = 1 } })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.DeleteAsync(server.ConversationPath(contact, conversation.Id))).AssertClientError("DELETE");
        // Kestrel itself refuses a NUL in the path, before the application sees the request: 400, no body.
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync($"{server.ClientApi}/contacts/%00")).StatusCode);
    }

    [Fact]
    public async Task Body_over_64_kb_is_413_too_large()
    {
        var (server, contact, conversation) = await StartWithConversation();
        using var admin = server.AdminHttp();
        var huge = new string('a', 70 * 1024);

        await (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = huge }))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        await (await server.Http.PostJson($"{server.ClientApi}/contacts", new { name = huge }))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        await (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/messages", new { content = huge }))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);

        // Chunked, without a Content-Length: still refused once the limit is crossed.
        var chunked = new StringContent($"{{\"content\":\"{huge}\"}}", Encoding.UTF8, "application/json");
        chunked.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.ConversationPath(contact, conversation.Id)}/messages") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await server.Http.SendAsync(request)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);

        Assert.Single(await server.MessagesAsContact(contact, conversation.Id));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(server.ClientApi)).StatusCode); // the server is fine
    }

    [Fact]
    public async Task A_rate_limited_write_is_a_429_problem_with_Retry_After()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:MessagesPerWindow"] = "3",
            ["Limits:WindowSeconds"] = "60",
        });
        var flooder = await server.CreateContact("Flooder");
        var conversation = await server.StartConversation(flooder, "one");
        await server.SendAsContact(flooder, conversation.Id, "two");
        await server.SendAsContact(flooder, conversation.Id, "three");

        var response = await server.Http.PostJson($"{server.ConversationPath(flooder, conversation.Id)}/messages", new { content = "four" });
        await response.AssertProblem(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(3, (await server.MessagesAsContact(flooder, conversation.Id)).Count);
    }
}
