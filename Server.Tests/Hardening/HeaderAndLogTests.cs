using System.Net;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>Browser-facing headers, and logs that never carry a secret.</summary>
public sealed class HeaderAndLogTests
{
    [Fact]
    public async Task Pages_and_answers_carry_the_security_headers()
    {
        await using var server = await ChatServer.StartAsync();
        foreach (var page in new[] { "/", "/agent/" })
        {
            using var response = await server.Http.GetAsync(page);
            response.EnsureSuccessStatusCode();
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        }

        using var contact = await server.Http.PostJson($"{server.ClientApi}/contacts", new { name = "Ann" });
        contact.EnsureSuccessStatusCode();
        Assert.Contains("no-store", contact.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Header(contact, "X-Content-Type-Options"));

        using var agent = await server.AdminHttp().GetAsync("/api/v1/profile");
        Assert.True(agent.Headers.CacheControl?.NoStore);

        using var anonymous = await server.Http.GetAsync("/api/v1/profile");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.NotEmpty(anonymous.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Configured_secrets_are_never_logged_and_failed_logins_are_quiet()
    {
        var agentToken = "configured-token-" + Guid.NewGuid().ToString("N");
        await using var server = await ServerProcess.StartAsync(agentToken: agentToken, settings: new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Bootstrap:HmacToken"] = "configured-hmac-" + Guid.NewGuid().ToString("N"),
        });
        for (var i = 0; i < 20; i++)
        {
            using var refused = await server.AgentHttp("wrong-token-" + i).GetAsync("/api/v1/profile");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        var contact = await (await server.Http.PostJson($"{server.ClientApi}/contacts", new { name = "Ann" })).Read<Contracts.ContactDto>();
        using var badSource = await server.Http.GetAsync($"{server.ClientApi}/contacts/{contact.SourceId}/conversations/999999");
        Assert.Equal(HttpStatusCode.NotFound, badSource.StatusCode);

        await server.TerminateAsync();
        var log = server.Log;
        Assert.Contains("First start", log);
        Assert.DoesNotContain(agentToken, log);
        Assert.DoesNotContain("configured-hmac-", log);
        Assert.DoesNotContain("wrong-token-", log);
        Assert.DoesNotContain(contact.SourceId, log);
        Assert.DoesNotContain(contact.PubsubToken, log);
        Assert.DoesNotContain("was not authenticated", log); // ASP.NET Core's two Information lines per failure
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";
}
