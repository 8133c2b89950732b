using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatHub.Server.Tests.Browser;

/// <summary>"A customer's own website": a second web server on another loopback port (so another origin than
/// ChatHub's) that serves pages embedding the widget. A real server, not a faked route, so Chromium treats
/// both origins as loopback (its local-network-access rules block a public page from calling a loopback one).</summary>
public sealed class HostSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages = new();

    private HostSite(WebApplication app) => _app = app;

    public Uri BaseUrl => new(_app.Urls.First());

    public static async Task<HostSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new HostSite(app);
        app.MapGet("/{name}", (string name) => site._pages.TryGetValue(name, out var html)
            ? Results.Content(html, "text/html; charset=utf-8")
            : Results.NotFound());
        await app.StartAsync();
        return site;
    }

    /// <summary>Serves a page that embeds widget.js from <paramref name="chatServer"/> with the given data-*
    /// attributes, and returns its address.</summary>
    public string AddWidgetPage(string name, Uri chatServer, IDictionary<string, string> data)
    {
        var attributes = string.Join(" ", data.Select(d => $"data-{d.Key}=\"{System.Net.WebUtility.HtmlEncode(d.Value)}\""));
        _pages[name] = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{name}}</title>
            <style>body { font: 16px Georgia, serif; margin: 40px; } div, section, button, textarea { all: unset; color: red; }</style></head>
            <body><h1>A customer's own site</h1><p>Its CSS is hostile on purpose: the widget lives in a shadow root.</p>
            <script src="{{new Uri(chatServer, "/widget.js")}}" {{attributes}} async></script>
            </body></html>
            """;
        return new Uri(BaseUrl, name).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
