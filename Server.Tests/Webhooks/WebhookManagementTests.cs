using System.Net;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>The webhook API for administrators, at both paths, as Chatwoot's clients call it.</summary>
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

    [Theory]
    [InlineData("""{"subscriptions":["message_created"]}""", "url")]
    [InlineData("""{"url":"","subscriptions":["message_created"]}""", "url")]
    [InlineData("""{"url":"ftp://example.com/x"}""", "url")]
    [InlineData("""{"url":"/relative/path"}""", "url")]
    [InlineData("""{"url":"https://user:pass@example.com/x"}""", "url")]
    [InlineData("""{"url":"https://example.com/x","subscriptions":["message_deleted"]}""", "subscriptions")]
    [InlineData("""{"url":"https://example.com/x","subscriptions":[]}""", "subscriptions")]
    [InlineData("""{"url":"https://example.com/x","subscriptions":[null]}""", "subscriptions")]
    public async Task Bad_input_is_a_validation_error_never_a_500(string json, string field)
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        using var admin = server.AdminHttp();
        await (await admin.PostAsync($"{Account}/webhooks", RestTestHelpers.RawJson(json))).AssertValidation(field);
    }

    [Fact]
    public async Task A_url_too_long_is_refused()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        using var admin = server.AdminHttp();
        var url = "https://example.com/" + new string('a', 2100);
        await (await admin.PostJson($"{Account}/webhooks", new { url })).AssertValidation("url");
    }

    [Fact]
    public async Task Private_network_urls_are_refused_by_default()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries(allowPrivateNetworks: false));
        using var admin = server.AdminHttp();
        foreach (var url in new[]
        {
            "http://127.0.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost:8080/hook", "http://[::1]/hook",
            "http://10.1.2.3/hook", "http://192.168.1.10/hook", "http://172.16.0.1/hook", "http://100.64.0.1/hook", "http://[fd00:ec2::254]/hook",
            "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook",
        })
        {
            await (await admin.PostJson($"{Account}/webhooks", new { url, subscriptions = new[] { "message_created" } })).AssertValidation("url");
        }
        var created = await admin.CreateWebhookAsync("https://93.184.215.14/hook", "message_created"); // a public address is taken
        await (await admin.PatchJson($"{Account}/webhooks/{created.Id}", new { url = "http://127.0.0.1:9/hook" })).AssertValidation("url");
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
