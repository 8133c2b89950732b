using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Rest;

/// <summary>What the browser widget (wwwroot/widget.js) needs beyond the client API: it runs on customers' own
/// sites, so the client API and the hub answer cross-origin requests (CORS, any origin, no cookies: the
/// widget's credentials are its source_id and pubsub_token, never cookies); and the demo page at / finds the
/// first inbox at <c>GET /demo/config</c> when it is opened without <c>?inbox=</c>.</summary>
public static class WidgetEndpoints
{
    public const string CorsPolicy = "widget";

    public static IServiceCollection AddWidgetCors(this IServiceCollection services) =>
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()
            .WithExposedHeaders("Retry-After")));

    /// <summary>CORS for <c>/public/api</c> and <c>/hubs</c> only (the agent API and console stay same-origin),
    /// and <c>GET /demo/config</c> -> <c>{inbox_identifier}</c> of the first inbox (an inbox identifier is public:
    /// every page that embeds the widget shows it).</summary>
    public static void UseWidget(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/public/api") || http.Request.Path.StartsWithSegments("/hubs"),
            branch => branch.UseCors(CorsPolicy));
        app.MapGet("/demo/config", async (Dispatcher use) =>
            new DemoConfig(await use.AskAsync<GetDemoInbox, string>(Caller.Anonymous, new GetDemoInbox())));
    }

    public sealed record DemoConfig(string InboxIdentifier);
}
