using System.Text.Json;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Bootstrap;
using ChatHub.Server.Channels.Cable;
using ChatHub.Server.Channels.Email;
using ChatHub.Server.Channels.Hub;
using ChatHub.Server.Channels.Webhooks;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Visitors;
using ChatHub.Server.Features.Reports;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Hosting;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Observability;
using ChatHub.Server.Rest;
using ChatHub.Server.Rest.OpenApi;
using ChatHub.Server.ScaleOut;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ChatHub.Server;

/// <summary>Composition of the server: used by Program and by the tests, which start real Kestrel instances.</summary>
public static class ChatHubApp
{
    public const string AgentPolicy = "agent";

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json and wwwroot/ are linked into the output folder from the repository root.
            ContentRootPath = AppContext.BaseDirectory,
        });
        // ASP.NET Core logs every failed authentication twice at Information; ours logs it once at Debug.
        builder.Logging.AddFilter(typeof(TokenAuthenticationHandler).FullName, LogLevel.Warning);
        StartupFailure.QuietHostDuringStart(builder.Logging);
        configure?.Invoke(builder);
        AddServices(builder);

        var app = builder.Build();
        UsePipeline(app);
        await app.Services.GetRequiredService<BootstrapService>().RunAsync(
            app.Services.GetRequiredService<IServer>(), app.Lifetime);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        // Every setting is a property of an options class read through Settings (docs/configuration.md lists them all).
        var limits = Settings.Read<ChatLimits>(config);
        limits.Validate();
        services.AddSettings<ChatLimits>(config);
        services.AddSettings<BootstrapOptions>(config);
        services.AddSettings<WebhookAddressOptions>(config); // the SSRF rule: use cases and the channel
        var connectionLimit = ConnectionLimit.Resolve(limits); // a cap above the open-files limit stops the start
        services.AddSingleton(connectionLimit);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            k.Limits.MaxConcurrentConnections = connectionLimit.Connections;
            k.ConfigureEndpointDefaults(endpoint => endpoint.CountUpgradedConnections());
        });

        services.AddChatStore(config); // Storage:Provider: Sqlite (default), Postgres or LiteDb
        // The store is no hosted service: the container disposes it after the server has stopped taking
        // requests, and disposing drains its queue, so every command accepted before shutdown commits.
        services.AddSingleton<RateLimits>();
        services.AddSingleton<Features.Assignment.AutoAssignment>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatLimits>>().Value); // for the validators
        services.AddUseCases();
        services.AddSingleton<EventBus>();
        services.AddConnectionAccess(); // who may connect and stay connected, to which streams, within which budget
        services.AddPresence(config); // agents' presence from their connections, on every node (Presence:*)
        services.AddVisitors(config); // visitors on the site, on every node (Visitors:*)
        services.AddChatMetrics(config);
        services.AddHealth(); // /healthz: the store, and Redis behind a backplane
        services.AddSingleton<ContactCredentials>();
        services.AddHostedService<PendingUploadSweeper>(); // Limits:PendingUploadTtl
        services.AddHostedService<SnoozeSweeper>(); // Limits:SnoozeSweepInterval
        services.AddSingleton<BootstrapService>();
        services.AddAccounts(config); // passwords, sessions, account links, avatars (Accounts:*)
        services.AddReports(config); // reports (issue 25, Reports:*)

        services.AddAuthentication()
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.HubScheme,
                o => { o.AllowContacts = true; o.AllowQueryToken = true; })
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.AgentScheme, _ => { });
        services.AddAuthorizationBuilder().AddPolicy(AgentPolicy, p =>
            p.AddAuthenticationSchemes(TokenAuthenticationHandler.AgentScheme).RequireAuthenticatedUser());

        // The channels, each with its endpoint, admission and sink; several nodes act as one through Redis when
        // Redis:Configuration is set (docs/operations.md, "Scale-out").
        services.AddScaleOut(config);
        services.AddHubChannel(limits);
        services.AddCableChannel();
        services.AddWebhookChannel(config);
        services.AddEmailChannel(config); // Email:*: reply emails to customers who are away, transcripts, the mailer

        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            LenientJson.Apply(o.SerializerOptions); // Rails casts "true" and "5" (and form fields are strings)
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCodes.Apply);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddApiDocument();
        services.AddWidgetCors();
        services.AddStaticAssets();
        services.AddProxyHeaders(config);
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseForwardedHeaders(); // first: everything after sees the client's address (ProxyHeaders)
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before routing: a form body becomes the JSON the routes take (RailsBodies), then the route is chosen.
        app.UseMiddleware<RailsBodies>();
        app.UseRouting();
        app.UseStaticAssets(); // compressed, versioned and cached (StaticAssets)
        app.UseWidget();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapApiDocument();
        app.MapChatMetrics();
        app.MapHealth();

        var inbox = app.MapGroup("/public/api/v1/inboxes/{inbox_identifier}");
        inbox.MapPublicInbox();
        inbox.MapPublicContacts();
        inbox.MapPublicCampaigns();
        inbox.MapPublicPostChatForms();
        inbox.MapClientConversations();
        var limits = app.Services.GetRequiredService<ChatLimits>();
        inbox.MapClientUploads(limits);
        inbox.MapVisitorReports();

        var agentApi = app.MapGroup("/api/v1").RequireAuthorization(AgentPolicy);
        agentApi.MapAgents();
        agentApi.MapAdminInboxes();
        agentApi.MapAgentConversations();
        agentApi.MapApplicationApi();
        agentApi.MapWebhooks();
        agentApi.MapAgentUploads(limits);
        agentApi.MapAccountEndpoints(limits);
        agentApi.MapVisitors();
        app.MapGroup("/api/v2").RequireAuthorization(AgentPolicy).MapReports(); // reports (issue 25)
        app.MapAuth();
        app.MapAttachmentDownloads();

        app.MapHubChannel();
        app.MapCableChannel();
    }
}
