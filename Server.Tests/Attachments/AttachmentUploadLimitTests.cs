using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>What bounds uploads over HTTP (issue 20): a caller who may not upload, or a body declared larger than the
/// endpoint takes, is answered before the body is read; a byte budget's refusal is a 429 with Retry-After; the sweep of
/// expired uploads runs on its own. The budgets per contact and per inbox, and expiry itself, are in-process
/// (UseCases/Attachments/UploadLimitTests, AttachmentTests).</summary>
public sealed class AttachmentUploadLimitTests
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    /// <summary>Sends a multipart request's headers, declaring <paramref name="declaredLength"/> bytes, and the first
    /// kilobyte of its body, never the rest; then reads the answer. A server that read the body before answering would
    /// still be waiting for it (or time the body out), never answer with the status of a refusal.</summary>
    private static async Task<(int Status, string Body)> AnswerBeforeBodyAsync(Uri server, string path, long declaredLength,
        string? extraHeaders = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        const string boundary = "chathub-boundary";
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n" +
                   $"Content-Length: {declaredLength}\r\n{extraHeaders}\r\n";
        var bodyStart = $"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"big.bin\"\r\n" +
                        $"Content-Type: application/octet-stream\r\n\r\n{new string('x', 1024)}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + bodyStart));

        // A bound against hanging, not a speed assertion.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && Body(text[..end], text[(end + 4)..]) is { } body) return (int.Parse(text.Split(' ')[1]), body);
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) throw new IOException($"the server closed the connection without a complete answer: {text}");
            received.Write(buffer, 0, read);
        }

        // The whole body once it has arrived (by its Content-Length, or chunked up to the last chunk), else null.
        static string? Body(string headers, string rest)
        {
            var lines = headers.Split("\r\n");
            if (lines.Any(h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
            {
                var body = new StringBuilder();
                while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var lineEnd and >= 0)
                {
                    var size = Convert.ToInt32(rest[..lineEnd], 16);
                    if (size == 0) return body.ToString();
                    if (rest.Length < lineEnd + 2 + size + 2) return null;
                    body.Append(rest, lineEnd + 2, size);
                    rest = rest[(lineEnd + 2 + size + 2)..];
                }
                return null;
            }
            var length = lines.Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(h => int.Parse(h["Content-Length:".Length..].Trim())).FirstOrDefault();
            return rest.Length >= length ? rest[..length] : null;
        }
    }

    private static string Title(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("title").GetString()!;

    [Fact]
    public async Task A_caller_who_may_not_send_files_is_refused_before_the_body_of_a_50_MB_multipart_is_read()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Zoe");
        var conversation = await server.StartConversation(contact, "hi");
        var stranger = await server.CreateContact("Stranger");
        var strangers = await server.StartConversation(stranger, "mine");
        var messages = $"conversations/{conversation.Id}/messages";

        // The customer route: unknown inbox, unknown contact, a conversation that is not the contact's, one that does not exist.
        var noInbox = await AnswerBeforeBodyAsync(server.BaseUrl, $"/public/api/v1/inboxes/nope/contacts/{contact.SourceId}/{messages}", FiftyMegabytes);
        Assert.Equal((404, "not_found"), (noInbox.Status, Title(noInbox.Body)));
        Assert.Contains("inbox", noInbox.Body);
        var noContact = await AnswerBeforeBodyAsync(server.BaseUrl, $"{server.ClientApi}/contacts/nobody/{messages}", FiftyMegabytes);
        Assert.Equal((404, "not_found"), (noContact.Status, Title(noContact.Body)));
        Assert.Contains("contact", noContact.Body);
        var notTheirs = await AnswerBeforeBodyAsync(server.BaseUrl,
            $"{server.ConversationPath(contact, strangers.Id)}/messages", FiftyMegabytes);
        Assert.Equal((404, "not_found"), (notTheirs.Status, Title(notTheirs.Body)));
        Assert.Contains("conversation", notTheirs.Body);
        var missing = await AnswerBeforeBodyAsync(server.BaseUrl, $"{server.ConversationPath(contact, strangers.Id + 100)}/messages", FiftyMegabytes);
        Assert.Equal(404, missing.Status);

        // A declared body over what the endpoint takes (5 files and the fields), from a caller who may send: 413.
        var tooLarge = await AnswerBeforeBodyAsync(server.BaseUrl, $"{server.ConversationPath(contact, conversation.Id)}/messages",
            5 * 10L * 1024 * 1024 + 64 * 1024 + 1);
        Assert.Equal((413, "too_large"), (tooLarge.Status, Title(tooLarge.Body)));

        // The upload route: an unknown contact, and more than one file's worth.
        var uploadNobody = await AnswerBeforeBodyAsync(server.BaseUrl, $"{server.ClientApi}/contacts/nobody/uploads", 10L * 1024 * 1024);
        Assert.Equal(404, uploadNobody.Status);
        var uploadTooLarge = await AnswerBeforeBodyAsync(server.BaseUrl, $"{server.ClientApi}/contacts/{contact.SourceId}/uploads", FiftyMegabytes);
        Assert.Equal((413, "too_large"), (uploadTooLarge.Status, Title(uploadTooLarge.Body)));

        // The agent routes: no token, and an agent outside the conversation's inbox.
        var noToken = await AnswerBeforeBodyAsync(server.BaseUrl, "/api/v1/uploads", 10L * 1024 * 1024);
        Assert.Equal(401, noToken.Status);
        var outsider = await server.CreateAgent("Outsider", inboxId: null);
        var notMember = await AnswerBeforeBodyAsync(server.BaseUrl, $"{AgentConversationPath(conversation.Id)}/messages", FiftyMegabytes,
            $"api_access_token: {outsider.AccessToken}\r\n");
        Assert.Equal((403, "forbidden"), (notMember.Status, Title(notMember.Body)));
        var agentTooLarge = await AnswerBeforeBodyAsync(server.BaseUrl, "/api/v1/uploads", FiftyMegabytes, $"api_access_token: {server.AgentToken}\r\n");
        Assert.Equal(413, agentTooLarge.Status);

        // Nothing of any of them was stored, and the conversation is as it was.
        var store = server.App.Services.GetRequiredService<IChatStore>();
        Assert.Null(await store.ReadAsync(r => r.GetAttachmentAsync(1)));
        Assert.Single(await server.Http.GetRead<List<MessageDto>>($"{server.ConversationPath(contact, conversation.Id)}/messages"));
    }

    [Fact]
    public async Task A_text_field_is_held_to_the_usual_body_limit_and_a_form_to_a_few_fields_files_or_not()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Zoe");
        var conversation = await server.StartConversation(contact, "hi");
        var messages = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        // ASP.NET's form reader would hold a multi-megabyte text part in memory: here it stops past 64 KB.
        var longField = await server.Http.PostAsync(messages, TestFiles.Form([("content", new string('x', 3 * 1024 * 1024))], []));
        var problem = await longField.AssertProblem(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.TooLarge);
        Assert.Contains("content", problem.GetProperty("detail").GetString());
        var manyFields = await server.Http.PostAsync(messages, TestFiles.Form(Enumerable.Range(0, 17).Select(i => ($"f{i}", "x")), []));
        await manyFields.AssertValidation("body");
        var twoUploads = await server.Http.PostAsync($"{server.ClientApi}/contacts/{contact.SourceId}/uploads",
            TestFiles.Form([], [("a.png", TestFiles.Png(10), "image/png"), ("b.png", TestFiles.Png(10), "image/png")], "attachment"));
        await twoUploads.AssertValidation("file");

        // Within the bounds, the fields and files go through as before.
        var sent = await (await server.Http.PostAsync(messages, TestFiles.Form([("content", "ça va ☕"), ("echo_id", "e-9")],
            [("a.png", TestFiles.Png(100_000), "image/png")]))).JsonBody();
        Assert.Equal(("ça va ☕", "e-9"), (sent.GetProperty("content").GetString(), sent.GetProperty("echo_id").GetString()));
        Assert.Equal(1, sent.GetProperty("attachments").GetArrayLength());
    }

    [Fact]
    public async Task An_unverified_contact_of_an_hmac_mandatory_inbox_is_refused_before_the_body()
    {
        await using var server = await ChatServer.StartAsync();
        var inbox = await server.CreateInbox("Secure later");
        var contact = await server.CreateContactIn(inbox.Identifier, new { name = "Unverified" });
        var conversation = await server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { });
        using (var admin = server.AdminHttp())
            (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { hmac_mandatory = true })).EnsureSuccessStatusCode();

        var path = $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}";
        var message = await AnswerBeforeBodyAsync(server.BaseUrl, $"{path}/conversations/{conversation.Id}/messages", FiftyMegabytes);
        Assert.Equal((401, "unauthorized"), (message.Status, Title(message.Body)));
        var upload = await AnswerBeforeBodyAsync(server.BaseUrl, $"{path}/uploads", 1024 * 1024);
        Assert.Equal((401, "unauthorized"), (upload.Status, Title(upload.Body)));
    }

    [Fact]
    public async Task Past_a_byte_budget_an_upload_is_a_429_with_Retry_After_and_once_it_is_spent_a_new_one_is_refused_before_its_body()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:MaxAttachmentBytes"] = "100000",
            ["Limits:UploadBytesPerContactPerHour"] = "150000",
        });
        var ann = await server.CreateContact("Ann");
        Task<HttpResponseMessage> Upload(int bytes) => server.Http.PostAsync($"{server.ClientApi}/contacts/{ann.SourceId}/uploads",
            TestFiles.Form([], [("f.bin", TestFiles.RandomBytes(bytes), "application/octet-stream")], "attachment"));

        (await Upload(100_000)).EnsureSuccessStatusCode();
        var over = await Upload(100_000);
        var problem = await over.AssertProblem(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.Contains("your uploads", problem.GetProperty("detail").GetString());
        Assert.InRange(over.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        (await Upload(50_000)).EnsureSuccessStatusCode();
        var spent = await AnswerBeforeBodyAsync(server.BaseUrl, $"{server.ClientApi}/contacts/{ann.SourceId}/uploads", 100_000);
        Assert.Equal((429, "rate_limited"), (spent.Status, Title(spent.Body)));
    }

    [Fact]
    public async Task The_sweep_runs_on_its_own_and_deletes_an_expired_upload_whose_url_404s_while_a_sent_file_stays()
    {
        await using var scene = await ChatScene.StartAsync(new Dictionary<string, string?> { ["Limits:PendingUploadTtl"] = "00:00:02" });
        var server = scene.Server;
        var store = server.App.Services.GetRequiredService<IChatStore>();
        var conversation = await scene.StartConversation("hello");
        async Task<AttachmentDto> Upload(byte[] bytes) => await (await server.Http.PostAsync($"{server.ClientApi}/contacts/{scene.Contact.SourceId}/uploads",
            TestFiles.Form([], [("f.png", bytes, "image/png")], "attachment"))).Read<AttachmentDto>();
        var keptBytes = TestFiles.Png(150_000);
        var kept = await Upload(keptBytes);
        var forgotten = await Upload(TestFiles.Png(150_000));
        await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = [kept.Id] });
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(forgotten.DataUrl)).StatusCode);

        // The server's own sweep (a hosted service, every quarter of the TTL) deletes it with its bytes; a bounded wait,
        // not a speed assertion. Its URL is gone (past the TTL it is gone even before the sweep: UseCases/Attachments).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await store.ReadAsync(r => r.GetAttachmentAsync(forgotten.Id)) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the expired upload was not deleted");
            await Task.Delay(200);
        }
        Assert.Equal(0, await store.ReadAsync(r => r.ReadAttachmentAsync(forgotten.Id, 0, new byte[16])));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync(forgotten.DataUrl)).StatusCode);
        // The file sent with a message, as old, stays.
        Assert.Equal(keptBytes, await server.Http.GetByteArrayAsync(kept.DataUrl));
        Assert.NotNull(await store.ReadAsync(r => r.GetAttachmentAsync(kept.Id)));
    }
}
