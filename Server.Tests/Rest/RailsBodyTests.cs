using System.Net;
using System.Text;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Bodies as Rails reads them, on every Chatwoot path, over real HTTP: <c>curl -d</c> style form bodies
/// (FormUrlEncodedContent and raw strings), bracket notation, multipart text fields, and empty or absent bodies
/// whatever their Content-Type (the npm SDK's conversations.create); 415 only for a body of a type not accepted.</summary>
public sealed class RailsBodyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>What <c>curl -d 'text'</c> sends.</summary>
    private static StringContent CurlD(string text) => new(text, Encoding.UTF8, "application/x-www-form-urlencoded");

    /// <summary>No body, yet a form Content-Type, as the npm SDK's HTTP library sends a body-less POST.</summary>
    private static ByteArrayContent EmptyForm()
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        return content;
    }

    private async Task<(ChatServer Server, ContactDto Contact, ConversationDto Conversation)> StartAsync()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        return (server, contact, await server.StartConversation(contact, "hello"));
    }

    [Fact]
    public async Task Client_api_message_takes_a_form_body()
    {
        var (server, contact, conversation) = await StartAsync();
        var path = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        var message = await (await server.Http.PostAsync(path, Form(("content", "hi"), ("echo_id", "form-1")))).JsonBody();
        Assert.Equal("hi", message.GetProperty("content").GetString());
        Assert.Equal("form-1", message.GetProperty("echo_id").GetString());
        var raw = await (await server.Http.PostAsync(path, CurlD("content=hi%20there+again"))).JsonBody();
        Assert.Equal("hi there again", raw.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Application_api_message_takes_a_form_body_with_rails_casts()
    {
        var (server, _, conversation) = await StartAsync();
        using var admin = server.AdminHttp();
        var path = $"{Account}/conversations/{conversation.Id}/messages";

        var reply = await (await admin.PostAsync(path, CurlD("content=hi&message_type=outgoing"))).JsonBody();
        Assert.Equal("hi", reply.GetProperty("content").GetString());
        Assert.Equal(1, reply.GetProperty("message_type").GetInt32());
        var note = await (await admin.PostAsync(path, Form(("content", "note"), ("private", "true")))).JsonBody();
        Assert.True(note.GetProperty("private").GetBoolean());
        // Nested as Rails nests it: content_attributes[...] is an object.
        var nested = await (await admin.PostAsync(path, CurlD("content=x&content_attributes[in_reply_to]=" + reply.GetProperty("id").GetInt64()))).JsonBody();
        Assert.Equal(reply.GetProperty("id").GetInt64().ToString(), nested.GetProperty("content_attributes").GetProperty("in_reply_to").GetString());
    }

    [Fact]
    public async Task Typing_status_on_arrives_as_a_form_field_on_both_apis()
    {
        var (server, contact, conversation) = await StartAsync();
        using var admin = server.AdminHttp();

        (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/toggle_typing", CurlD("typing_status=on"))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"{Account}/conversations/{conversation.Id}/toggle_typing_status", Form(("typing_status", "on")))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"{Account}/conversations/{conversation.Id}/toggle_typing_status", CurlD("typing_status=off"))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Status_resolved_as_a_form_field_resolves()
    {
        var (server, _, conversation) = await StartAsync();
        using var admin = server.AdminHttp();

        var toggled = await (await admin.PostAsync($"{Account}/conversations/{conversation.Id}/toggle_status", CurlD("status=resolved"))).JsonBody();
        Assert.Equal("resolved", toggled.GetProperty("payload").GetProperty("current_status").GetString());
    }

    [Fact]
    public async Task An_empty_toggle_status_under_any_content_type_toggles()
    {
        var (server, contact, conversation) = await StartAsync();
        var path = $"{server.ConversationPath(contact, conversation.Id)}/toggle_status";

        var resolved = await (await server.Http.PostAsync(path, EmptyForm())).JsonBody();
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        var plain = new ByteArrayContent([]);
        plain.Headers.ContentType = new("text/plain");
        (await server.Http.PostAsync(path, plain)).EnsureSuccessStatusCode();
        (await server.Http.PostAsync(path, null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Contact_create_and_update_take_form_fields_with_nested_attributes()
    {
        var server = shared.Server;
        var created = await (await server.Http.PostAsync($"{server.ClientApi}/contacts",
            CurlD("name=Form%20Ann&email=ann%40example.com&custom_attributes[plan]=gold&custom_attributes[seats]=3"))).JsonBody();
        Assert.Equal("Form Ann", created.GetProperty("name").GetString());
        Assert.Equal("ann@example.com", created.GetProperty("email").GetString());
        var sourceId = created.GetProperty("source_id").GetString();

        var updated = await (await server.Http.PatchAsync($"{server.ClientApi}/contacts/{sourceId}", Form(("phone_number", "+33 1 23 45 67 89")))).JsonBody();
        Assert.Equal("+33 1 23 45 67 89", updated.GetProperty("phone_number").GetString());
        var own = await (await server.Http.GetAsync($"{server.ClientApi}/contacts/{sourceId}")).JsonBody();
        Assert.Equal("Form Ann", own.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_body_less_conversation_create_under_a_form_type_opens_a_conversation()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        var path = $"{server.ClientApi}/contacts/{contact.SourceId}/conversations";

        var opened = await (await server.Http.PostAsync(path, EmptyForm())).JsonBody();
        Assert.Equal("open", opened.GetProperty("status").GetString());
        var withMessage = await (await server.Http.PostAsync(path, CurlD("message[content]=hello%20form"))).JsonBody();
        Assert.Equal("hello form", withMessage.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Webhooks_crud_takes_form_bodies_flat_or_nested_with_arrays()
    {
        using var admin = shared.Server.AdminHttp();

        var created = await (await admin.PostAsync($"{Account}/webhooks",
            CurlD("url=https%3A%2F%2Fexample.com%2Fform&subscriptions[]=message_created&subscriptions[]=conversation_created"))).JsonBody();
        var webhook = created.GetProperty("payload").GetProperty("webhook");
        Assert.Equal(["message_created", "conversation_created"], webhook.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetString()));
        var id = webhook.GetProperty("id").GetInt64();

        var updated = await (await admin.PatchAsync($"{Account}/webhooks/{id}",
            Form(("webhook[url]", "https://example.com/nested"), ("webhook[subscriptions][]", "contact_created")))).JsonBody();
        Assert.Equal("https://example.com/nested", updated.GetProperty("payload").GetProperty("webhook").GetProperty("url").GetString());
        Assert.Equal(["contact_created"], updated.GetProperty("payload").GetProperty("webhook").GetProperty("subscriptions")
            .EnumerateArray().Select(s => s.GetString()));
        (await admin.DeleteAsync($"{Account}/webhooks/{id}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Multipart_text_fields_reach_an_endpoint_that_takes_no_files()
    {
        var (server, _, conversation) = await StartAsync();
        using var admin = server.AdminHttp();
        using var form = new MultipartFormDataContent { { new StringContent("resolved"), "status" } };

        var toggled = await (await admin.PostAsync($"{Account}/conversations/{conversation.Id}/toggle_status", form)).JsonBody();
        Assert.Equal("resolved", toggled.GetProperty("payload").GetProperty("current_status").GetString());
    }

    [Fact]
    public async Task Multipart_with_files_still_reaches_the_message_endpoint_that_takes_them()
    {
        var (server, contact, conversation) = await StartAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("with a file"), "content" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("plain text file")), "attachments[]", "notes.txt" },
        };

        var message = await (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages", form)).JsonBody();
        Assert.Equal("with a file", message.GetProperty("content").GetString());
        Assert.Single(message.GetProperty("attachments").EnumerateArray());
    }

    [Fact]
    public async Task A_form_is_read_only_after_the_caller_is_authenticated_and_authorized()
    {
        var (server, _, conversation) = await StartAsync();
        var path = $"{Account}/conversations/{conversation.Id}/messages";
        using var stranger = server.AgentHttp("not-a-token");
        var outsider = await server.CreateAgent("Outsider", inboxId: null);
        using var outsiderHttp = server.AgentHttp(outsider.AccessToken!);

        // A body that would be a 422 (a key both a value and an object): the caller's problem comes first.
        await (await stranger.PostAsync(path, CurlD("content=a&content[x]=b"))).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await outsiderHttp.PostAsync(path, CurlD("content=hi"))).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task A_body_of_another_type_is_a_415_naming_the_types_accepted()
    {
        var (server, contact, conversation) = await StartAsync();

        var response = await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages",
            new StringContent("<content>hi</content>", Encoding.UTF8, "application/xml"));
        var problem = await response.AssertProblem(HttpStatusCode.UnsupportedMediaType, ErrorCodes.Validation);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("application/xml", detail);
        Assert.Contains("application/json", detail);
        Assert.Contains("application/x-www-form-urlencoded", detail);
        Assert.Contains("multipart/form-data", detail);
    }

    [Fact]
    public async Task Conflicting_deep_or_oversized_forms_are_refused_as_the_clients_fault()
    {
        var (server, contact, conversation) = await StartAsync();
        var path = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        await (await server.Http.PostAsync(path, CurlD("content=a&content[x]=b"))).AssertValidation("content");
        await (await server.Http.PostAsync(path, CurlD("content=a&x" + string.Concat(Enumerable.Repeat("[a]", 20)) + "=1"))).AssertValidation("x");
        await (await server.Http.PostAsync(path, CurlD(string.Join("&", Enumerable.Range(0, 300).Select(i => $"f{i}=1"))))).AssertValidation("body");
        await (await server.Http.PostAsync(path, CurlD("content=" + new string('x', 70_000)))).AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        var chunked = CurlD("content=" + new string('x', 70_000));
        chunked.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await server.Http.SendAsync(request)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        // A form field that is not the type asked for is a validation error on that field, as a JSON one is.
        await (await server.Http.PostAsync(path, CurlD("content=a&private=maybe"))).AssertClientError("private=maybe");
    }
}
