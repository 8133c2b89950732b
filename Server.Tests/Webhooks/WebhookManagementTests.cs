using System.Net;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>The webhook API for administrators, at both paths, as Chatwoot's clients call it (flat or nested under
/// <c>webhook</c>), its problems, and the SSRF rule again at connect time; the use cases' rules are in-process
/// (UseCases/Webhooks/WebhookTests).</summary>
public sealed class WebhookManagementTests
{
    [Theory]
    [InlineData(Account + "/webhooks")]
    [InlineData("/api/v1/webhooks")]
    public async Task Webhooks_are_created_flat_or_nested_listed_updated_and_deleted(string path)
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        using var admin = server.AdminHttp();

        var flat = await Payload(await admin.PostJson(path, new { url = "https://example.com/a", subscriptions = new[] { "message_created" } }), "webhook");
        Assert.Equal("https://example.com/a", flat.GetProperty("url").GetString());
        Assert.Equal(["message_created"], flat.GetProperty("subscriptions").EnumerateArray().Select(e => e.GetString()));
        Assert.True(flat.GetProperty("secret").GetString()!.Length >= 20);
        var nested = await Payload(await admin.PostJson(path, new { webhook = new { url = "https://example.com/b" } }), "webhook");
        Assert.Contains("conversation_created", nested.GetProperty("subscriptions").EnumerateArray().Select(e => e.GetString())); // Chatwoot's default set
        Assert.NotEqual(flat.GetProperty("secret").GetString(), nested.GetProperty("secret").GetString());

        var listed = (await Payload(await admin.GetAsync(path), "webhooks")).EnumerateArray().ToList();
        Assert.Equal(["https://example.com/a", "https://example.com/b"], listed.Select(w => w.GetProperty("url").GetString()));
        Assert.All(listed, w => Assert.False(w.TryGetProperty("secret", out _))); // shown once, at creation

        var id = flat.GetProperty("id").GetInt64();
        var patched = await Payload(await admin.PatchJson($"{path}/{id}", new { webhook = new { subscriptions = new[] { "contact_created", "conversation_typing_off" } } }), "webhook");
        Assert.Equal(("https://example.com/a", 2), (patched.GetProperty("url").GetString(), patched.GetProperty("subscriptions").GetArrayLength()));
        var put = await Payload(await admin.PutAsync($"{path}/{id}", JsonBody(new { url = "https://example.com/c" })), "webhook");
        Assert.Equal("https://example.com/c", put.GetProperty("url").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{path}/{id}/deliveries")).StatusCode);
        Assert.Single((await Payload(await admin.GetAsync(path), "webhooks")).EnumerateArray());
        // The use case's refusals are problems (every rule is in-process: UseCases/Webhooks/WebhookTests).
        await (await admin.PostAsync(path, RestTestHelpers.RawJson("""{"url":"ftp://example.com/x"}"""))).AssertValidation("url");
        await (await admin.PostJson(path, new { webhook = new { url = "https://example.com/x", subscriptions = new[] { "nope" } } })).AssertValidation("subscriptions");
    }

    [Fact]
    public async Task Agents_who_are_not_administrators_get_403_and_strangers_401()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        var bob = await server.CreateAgent("Bob");
        using var agent = server.AgentHttp(bob.AccessToken!);
        using var admin = server.AdminHttp();
        var webhook = await admin.CreateWebhookAsync("https://example.com/a", "message_created");
        var body = new { url = "https://example.com/x" };

        foreach (var path in new[] { $"{Account}/webhooks", "/api/v1/webhooks" })
        {
            await (await agent.PostJson(path, body)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
            await (await agent.GetAsync(path)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
            await (await agent.PatchJson($"{path}/{webhook.Id}", body)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
            await (await agent.DeleteAsync($"{path}/{webhook.Id}")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
            await (await agent.GetAsync($"{path}/{webhook.Id}/deliveries")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostJson(path, body)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync(path)).StatusCode);
        }
        Assert.Single((await Payload(await admin.GetAsync($"{Account}/webhooks"), "webhooks")).EnumerateArray());
    }

    [Fact]
    public async Task The_sender_refuses_to_connect_to_a_private_address_even_if_it_was_stored()
    {
        // The URL is taken while private networks are allowed, then the server restarts without: the connect-time check stops it.
        var receiverPort = WebhookReceiver.FreePort();
        await using var receiver = await WebhookReceiver.StartAsync(port: receiverPort);
        long webhookId;
        string dbPath, token, inbox, hmac;
        await using (var permissive = await ChatServer.StartAsync(settings: FastRetries()))
        {
            using var admin = permissive.AdminHttp();
            webhookId = (await admin.CreateWebhookAsync(receiver.Url, "contact_created")).Id;
            (dbPath, token, inbox, hmac) = (permissive.DbPath, permissive.AgentToken, permissive.InboxIdentifier, permissive.HmacToken);
            await permissive.CreateContact("first");
            await receiver.WaitForAsync(d => d.Event == "contact_created", "delivered while allowed");
        }
        await using var strict = await ChatServer.StartAsync(dbPath, FastRetries(allowPrivateNetworks: false), token, inbox, hmac);
        using var strictAdmin = strict.AdminHttp();
        await strict.CreateContact("second");
        await EventuallyAsync(async () => (await strictAdmin.DeliveriesAsync(webhookId))
            .Any(d => d.GetProperty("attempts").GetInt32() >= 1 && d.GetProperty("last_error").GetString()?.Contains("private") == true), "refused at connect");
        Assert.Single(receiver.Received);
    }

    private static StringContent JsonBody(object body) =>
        RestTestHelpers.RawJson(JsonSerializer.Serialize(body, RestApi.Json));

    private static async Task<JsonElement> Payload(HttpResponseMessage response, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("payload").GetProperty(name);
    }
}
