using System.Net.Http.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;

namespace ChatHub.Server.Tests.Visitors;

/// <summary>A visitor's widget as the visitor tests drive it: its secret token, and its reports to one server (any
/// node), with the browser's Accept-Language.</summary>
public sealed class TestVisitor(string inboxIdentifier, string? acceptLanguage = "de-CH,de;q=0.9,en;q=0.8") : IDisposable
{
    private readonly HttpClient _http = new();

    public string Token { get; } = "v-" + Guid.NewGuid().ToString("N");
    public string? SourceId { get; set; }
    public int Visits { get; set; } = 1;

    public Task<HttpResponseMessage> PageViewAsync(ChatServer server, string url, string? title = null, string? referrer = null) =>
        SendAsync(server, "page_views", new { visitor_token = Token, url, title, referrer, source_id = SourceId, visits = Visits });

    public Task<HttpResponseMessage> HeartbeatAsync(ChatServer server) =>
        SendAsync(server, "heartbeat", new { visitor_token = Token, source_id = SourceId, visits = Visits });

    public async Task<VisitResultDto> ViewAsync(ChatServer server, string url, string? title = null, string? referrer = null) =>
        await (await PageViewAsync(server, url, title, referrer)).Read<VisitResultDto>();

    public async Task<VisitResultDto> BeatAsync(ChatServer server) => await (await HeartbeatAsync(server)).Read<VisitResultDto>();

    private Task<HttpResponseMessage> SendAsync(ChatServer server, string what, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, $"/public/api/v1/inboxes/{inboxIdentifier}/visitors/{what}"))
        {
            Content = JsonContent.Create(body, body.GetType(), options: RestApi.Json),
        };
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
