using System.Net;
using System.Security.Cryptography.X509Certificates;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Browser;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Operations;
using ChatHub.Server.Tests.ScaleOut;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Deploy;

/// <summary>The path to production, tested: Debian's nginx running deploy/nginx/chathub.conf over HTTPS in front of
/// two ChatHub nodes that share one store and one Redis. Clients we did not write go through it: the official JS
/// client negotiating (sticky sessions) by WebSockets and by long polling, and the widget in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NginxDeployTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly string[] ExpectedChecks =
    [
        "agents.connect.directly.to.both.nodes",
        "websockets.negotiates.and.connects.through.the.proxy", "websockets.message.reaches.agents.on.both.nodes",
        "websockets.agent.reply.arrives.through.the.proxy",
        "longpolling.negotiates.and.connects.through.the.proxy", "longpolling.message.reaches.agents.on.both.nodes",
        "longpolling.agent.reply.arrives.through.the.proxy",
    ];

    [Fact]
    public async Task The_official_js_client_negotiates_through_nginx_by_websockets_and_long_polling()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using var nginx = await NginxServer.StartAsync(nodes.A.BaseUrl, nodes.B.BaseUrl);
        var viaWebSockets = await nodes.A.CreateContact("Wes (through nginx)");
        var viaLongPolling = await nodes.A.CreateContact("Lola (through nginx)");

        var js = NodeScripts.JsFolder();
        await NodeScripts.EnsureInstalledAsync(js, ["@microsoft/signalr"], "nginx deploy test", output.WriteLine);
        var run = await NodeScripts.RunAsync("node", ["proxy-test.mjs"], js, TimeSpan.FromSeconds(60), "nginx deploy test",
            new Dictionary<string, string>
            {
                ["CHATHUB_PROXY_URL"] = nginx.HttpsUrl.ToString(),
                ["CHATHUB_NODE_A"] = nodes.A.BaseUrl.ToString(),
                ["CHATHUB_NODE_B"] = nodes.B.BaseUrl.ToString(),
                ["CHATHUB_CONTACT_TOKENS"] = $"{viaWebSockets.PubsubToken},{viaLongPolling.PubsubToken}",
                ["CHATHUB_AGENT_TOKEN"] = nodes.A.AgentToken,
                ["NODE_EXTRA_CA_CERTS"] = nginx.CertificatePath, // trust the proxy's self-signed certificate, as a browser would a real one
            });
        NodeScripts.AssertEveryCheckPassed(run, "proxy-test.mjs", ExpectedChecks, output.WriteLine, context: $"\nnginx:\n{nginx.ErrorLog}");
    }

    [Fact]
    public async Task Plain_http_redirects_to_https_and_metrics_stay_behind_the_proxy()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using var nginx = await NginxServer.StartAsync(nodes.A.BaseUrl, nodes.B.BaseUrl);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = nginx.HttpUrl };
        using var https = TrustingClient(nginx);

        var redirect = await http.GetAsync("/widget.js");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("https", redirect.Headers.Location!.Scheme);

        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync("/healthz")).StatusCode);
        // Every spelling that reaches the metrics endpoint on a node (which would serve it: nginx's address is loopback)
        // stops at nginx.
        foreach (var path in MetricsTests.RoutedSpellings.Concat(MetricsTests.UnroutedSpellings))
        {
            using var raw = new HttpRequestMessage(HttpMethod.Get,
                new Uri($"{nginx.HttpsUrl.GetLeftPart(UriPartial.Authority)}{path}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
            using var answer = await https.SendAsync(raw);
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{path} through nginx: {(int)answer.StatusCode}");
            Assert.DoesNotContain("chathub_", await answer.Content.ReadAsStringAsync());
        }
        // Through the proxy a contact is made as directly (the client API, HTTPS end to end for the customer).
        var contact = await https.PostJson($"/public/api/v1/inboxes/{nodes.A.InboxIdentifier}/contacts", new { name = "Via proxy" });
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
    }

    [Fact]
    public async Task The_widget_works_through_nginx_over_https()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using var nginx = await NginxServer.StartAsync(nodes.A.BaseUrl, nodes.B.BaseUrl);
        await using var agentOnB = await HubSession.ConnectAsync(nodes.B, nodes.B.AgentToken);

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        context.SetDefaultTimeout((float)BrowserFixture.Timeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"[browser {message.Type}] {message.Text}");
        var widget = await WidgetPage.OpenDemoAsync(page, nginx.HttpsUrl, nodes.A.InboxIdentifier);
        await widget.OpenAsync();
        await widget.SendAndWaitAsync("Hello through nginx");

        var arrived = await agentOnB.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "Hello through nginx");
        await agentOnB.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = arrived.Message.ConversationId, Content = "Answered from node B" });
        await Expect(widget.AgentMessages).ToContainTextAsync(["Answered from node B"]);
    }

    /// <summary>An HttpClient that trusts the proxy's self-signed certificate and nothing else self-signed.</summary>
    private static HttpClient TrustingClient(NginxServer nginx)
    {
        var certificate = X509CertificateLoader.LoadCertificateFromFile(nginx.CertificatePath);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        return new HttpClient(handler) { BaseAddress = nginx.HttpsUrl };
    }
}
