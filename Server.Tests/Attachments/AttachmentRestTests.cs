using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>Attachments over REST, Chatwoot's way: multipart POST .../messages on the client, agent and application
/// APIs, uploads for the hub's flow, downloads by unguessable URL with the type found in the bytes and the headers that
/// keep them from running. What files a message may carry, and whose, is in-process (UseCases/Attachments).</summary>
public sealed class AttachmentRestTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";

    private async Task<(ChatServer Server, ContactDto Contact, ConversationDto Conversation)> StartWithConversation()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Zoe");
        var conversation = await server.StartConversation(contact, "hi");
        return (server, contact, conversation);
    }

    private static JsonElement Attachment(JsonElement message, int index = 0) => message.GetProperty("attachments")[index];

    private static async Task<HttpResponseMessage> Download(ChatServer server, JsonElement attachment) =>
        await server.Http.GetAsync(attachment.GetProperty("data_url").GetString());

    [Fact, Trait("Run", "EveryStore")] // stored and read back slice by slice
    public async Task A_customer_sends_an_image_by_multipart_on_the_client_api_and_it_downloads_byte_identical_inline()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var png = TestFiles.Png();
        var response = await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages",
            TestFiles.Form([("content", "my screenshot"), ("echo_id", "e-1")], [("screen shot.png", png, "application/octet-stream")]));
        var message = await response.JsonBody();

        Assert.Equal("my screenshot", message.GetProperty("content").GetString());
        Assert.Equal("e-1", message.GetProperty("echo_id").GetString());
        var attachment = Attachment(message);
        Assert.Equal(message.GetProperty("id").GetInt64(), attachment.GetProperty("message_id").GetInt64());
        Assert.Equal(("image", "png", png.Length), (attachment.GetProperty("file_type").GetString(),
            attachment.GetProperty("extension").GetString(), attachment.GetProperty("file_size").GetInt32()));
        var url = attachment.GetProperty("data_url").GetString()!;
        Assert.Matches("^/attachments/[0-9a-f]{32}/screen%20shot\\.png$", url);
        Assert.Equal(url, attachment.GetProperty("thumb_url").GetString());

        var download = await Download(server, attachment);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        // An altered token, or one of another length, is not found.
        var token = url.Split('/')[2];
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync(url.Replace(token, token[..^1] + (token[^1] == '0' ? '1' : '0')))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/attachments/short/a.png")).StatusCode);

        // The conversation's messages carry it; a message without files carries [].
        var messages = await (await server.Http.GetAsync($"{server.ConversationPath(contact, conversation.Id)}/messages")).JsonBody();
        Assert.Equal(0, messages[0].GetProperty("attachments").GetArrayLength());
        Assert.Equal(url, Attachment(messages[1]).GetProperty("data_url").GetString());
    }

    [Fact]
    public async Task Agents_send_files_by_multipart_on_the_agent_and_application_apis_without_content()
    {
        var (server, contact, conversation) = await StartWithConversation();
        using var agent = server.AgentHttp(server.AgentToken);
        var pdf = TestFiles.Pdf();

        var viaAgentApi = await (await agent.PostAsync($"{AgentConversationPath(conversation.Id)}/messages",
            TestFiles.Form([], [("invoice.pdf", pdf, "application/pdf")]))).JsonBody();
        var viaApplicationApi = await (await agent.PostAsync($"{Account}/conversations/{conversation.Id}/messages",
            TestFiles.Form([("content", "two files"), ("private", "false")],
                [("a.pdf", pdf, "application/pdf"), ("b.png", TestFiles.Png(), "image/png")]))).JsonBody();

        Assert.Equal(MessageTypes.Outgoing, viaAgentApi.GetProperty("message_type").GetInt32());
        Assert.Equal("", viaAgentApi.GetProperty("content").GetString());
        Assert.Equal("file", Attachment(viaAgentApi).GetProperty("file_type").GetString());
        Assert.Equal(2, viaApplicationApi.GetProperty("attachments").GetArrayLength());
        Assert.Equal("image", Attachment(viaApplicationApi, 1).GetProperty("file_type").GetString());

        // The customer downloads the agent's PDF: shown inline as a PDF.
        var customerView = await (await server.Http.GetAsync($"{server.ConversationPath(contact, conversation.Id)}/messages")).JsonBody();
        var download = await Download(server, Attachment(customerView[1]));
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Theory]
    [InlineData("page.html", "text/html")]
    [InlineData("logo.svg", "image/svg+xml")]
    [InlineData("notes.txt", "text/plain")]
    public async Task Files_outside_the_safe_list_download_as_attachments_sandboxed_never_as_their_claimed_type(string name, string claimed)
    {
        var (server, contact, conversation) = await StartWithConversation();
        var bytes = name.EndsWith(".svg") ? TestFiles.Svg() : TestFiles.Html();
        var message = await (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages",
            TestFiles.Form([], [(name, bytes, claimed)]))).JsonBody();
        Assert.Equal("file", Attachment(message).GetProperty("file_type").GetString());
        Assert.Equal("", Attachment(message).GetProperty("thumb_url").GetString());

        var download = await Download(server, Attachment(message));
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(name, download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_file_over_MaxAttachmentBytes_is_a_413_and_nothing_is_stored()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxAttachmentBytes"] = "2000" });
        var contact = await server.CreateContact("Zoe");
        var conversation = await server.StartConversation(contact, "hi");
        var path = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        // Over the file limit but within the endpoint's body limit: refused by size, before any transaction.
        var slightly = await server.Http.PostAsync(path, TestFiles.Form([("content", "big")], [("big.png", TestFiles.Png(2001), "image/png")]));
        var problem = await slightly.AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        Assert.Contains("2000 bytes", problem.GetProperty("detail").GetString());
        // Far over it: its declared length is over the endpoint's body limit, refused before the body is read. Sent as
        // curl sends large bodies (Expect: 100-continue): a client that pushes a body the server refused unread may see
        // its connection reset before it reads the answer (the server cannot drain a body over its limit).
        using var farRequest = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = TestFiles.Form([], [("huge.bin", TestFiles.RandomBytes(200_000), "application/octet-stream")]),
        };
        farRequest.Headers.ExpectContinue = true;
        var far = await server.Http.SendAsync(farRequest);
        await far.AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        var upload = await server.Http.PostAsync($"{server.ClientApi}/contacts/{contact.SourceId}/uploads",
            TestFiles.Form([], [("big.png", TestFiles.Png(2001), "image/png")], "attachment"));
        await upload.AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);

        var messages = await (await server.Http.GetAsync(path)).JsonBody();
        Assert.Equal(1, messages.GetArrayLength());
        var store = server.App.Services.GetRequiredService<IChatStore>();
        Assert.Null(await store.ReadAsync(r => r.GetAttachmentAsync(1)));
        // The first file stored after the refusals is the first file ever stored.
        var stored = await (await server.Http.PostAsync(path, TestFiles.Form([], [("ok.png", TestFiles.Png(100), "image/png")]))).JsonBody();
        Assert.Equal(1, Attachment(stored).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Other_endpoints_keep_the_64_KB_body_limit()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var json = await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = new string('x', 70_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, json.StatusCode);
    }

    [Fact]
    public async Task More_than_5_files_are_refused()
    {
        var (server, contact, conversation) = await StartWithConversation();
        var files = Enumerable.Range(0, 6).Select(i => ($"{i}.png", TestFiles.Png(10), "image/png"));
        var response = await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages", TestFiles.Form([], files));
        await response.AssertValidation("attachments");
    }

    [Fact]
    public async Task Uploads_answer_a_pending_attachment_of_the_uploader()
    {
        var (server, contact, _) = await StartWithConversation();
        using var agent = server.AgentHttp(server.AgentToken);
        var customerUpload = await (await server.Http.PostAsync($"{server.ClientApi}/contacts/{contact.SourceId}/uploads",
            TestFiles.Form([], [("a.png", TestFiles.Png(), "image/png")], "attachment"))).JsonBody();
        var agentUpload = await (await agent.PostAsync("/api/v1/uploads",
            TestFiles.Form([], [("b.pdf", TestFiles.Pdf(), "application/pdf")], "attachment"))).JsonBody();

        Assert.Equal(JsonValueKind.Null, customerUpload.GetProperty("message_id").ValueKind);
        Assert.Equal("image", customerUpload.GetProperty("file_type").GetString());
        Assert.Equal("pdf", agentUpload.GetProperty("extension").GetString());
        Assert.NotEqual(customerUpload.GetProperty("id").GetInt64(), agentUpload.GetProperty("id").GetInt64());
        // Uploads need the uploader's credentials.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostAsync("/api/v1/uploads",
            TestFiles.Form([], [("b.pdf", TestFiles.Pdf(), "application/pdf")], "attachment"))).StatusCode);
    }

}
