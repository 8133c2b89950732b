using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Bootstrap;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Observability;
using ChatHub.Server.Transports.Hub;
using ChatHub.Server.Sinks.SignalR;
using ChatHub.Server.Channels.Webhooks;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Transports.Hub.ScaleOut;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Storage;
using ChatHub.Server.Transports.Cable;
using ChatHub.Server.Rest;
using ChatHub.Server.Rest.OpenApi;
using ChatHub.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
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
        var limits = config.GetSection("Limits").Get<ChatLimits>() ?? new ChatLimits();
        limits.Validate();
        services.Configure<ChatLimits>(config.GetSection("Limits"));
        services.Configure<BootstrapOptions>(config.GetSection("Bootstrap"));
        services.Configure<WebhookAddressOptions>(config.GetSection("Webhooks")); // the SSRF rule: use cases and the channel
        var connectionLimit = ConnectionLimit.Resolve(limits); // a cap above the open-files limit stops the start
        services.AddSingleton(connectionLimit);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            k.Limits.MaxConcurrentConnections = connectionLimit.Connections;
            k.ConfigureEndpointDefaults(endpoint => endpoint.CountUpgradedConnections());
        });

        services.AddChatStore(config); // Storage:Provider: Sqlite (default), Postgres or LiteDb
        services.AddSingleton<EventPublisher>();
        // The store is no hosted service: the container disposes it after the server has stopped taking
        // requests, and disposing drains its queue, so every command accepted before shutdown commits.
        services.AddSingleton<RateLimits>();
        services.AddConnectionAccess(); // who may stay connected, and to which streams (Application/Connections)
        services.AddSingleton<ConnectionBudget>(); // realtime connections, hub and /cable (README "Security")
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatLimits>>().Value); // for the validators
        services.AddUseCases();
        services.AddSingleton<EventBus>();
        services.AddSingleton<IEventSink, SignalRSink>();
        services.AddSingleton<IEventSink, MetricsSink>();
        services.AddChatMetrics(config);
        services.AddProxyHeaders(config);
        services.AddCable();
        services.AddWebhookChannel(config); // the outbox and its sender (README "Webhooks")
        services.AddSingleton<ContactCredentials>();
        services.AddHostedService<PendingUploadSweeper>(); // Limits:PendingUploadTtl
        services.AddSingleton<BootstrapService>();

        services.AddAuthentication()
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.HubScheme,
                o => { o.AllowContacts = true; o.AllowQueryToken = true; })
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.AgentScheme, _ => { });
        services.AddAuthorizationBuilder().AddPolicy(AgentPolicy, p =>
            p.AddAuthenticationSchemes(TokenAuthenticationHandler.AgentScheme).RequireAuthenticatedUser());

        var signalR = services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = limits.MaxHubMessageBytes;
            // An agent (or an integration) may have several sends in flight; each still enqueues in arrival order,
            // so one connection's messages keep their order. SignalR's default of 1 made every send wait for the
            // previous one's commit.
            o.MaximumParallelInvocationsPerClient = limits.MaxParallelInvocationsPerConnection;
            o.EnableDetailedErrors = false;
            o.AddFilter<HubErrorFilter>();
        }).AddJsonProtocol();
        // Registered after the plain JSON protocol, so it replaces it under the same name ("json").
        services.AddSingleton<IHubProtocol>(sp => new CodedErrorHubProtocol(
            new JsonHubProtocol(sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>()),
            sp.GetRequiredService<ILogger<CodedErrorHubProtocol>>()));
        services.AddSingleton<IUserIdProvider, ChatUserIdProvider>();
        services.AddSingleton<HubConnections>();
        services.AddHealthChecks();
        // Several nodes act as one through Redis (README "Scale-out"); without it, SignalR's single-node manager.
        if (!string.IsNullOrEmpty(config["Redis:Configuration"])) signalR.AddRedisScaleOut(config);

        services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCodes.Apply);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddApiDocument();
        services.AddWidgetCors();
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseForwardedHeaders(); // first: everything after sees the client's address (ProxyHeaders)
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWidget();
        app.UseHubRefusalWhileBackplaneDown();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseHubAdmission(); // after authorization: who connects decides which caps apply

        app.MapApiDocument();
        app.MapChatMetrics();
        app.MapHealth();

        var inbox = app.MapGroup("/public/api/v1/inboxes/{inbox_identifier}");
        inbox.MapPublicInbox();
        inbox.MapPublicContacts();
        inbox.MapClientConversations();
        var limits = app.Services.GetRequiredService<ChatLimits>();
        inbox.MapClientUploads(limits);

        var agentApi = app.MapGroup("/api/v1").RequireAuthorization(AgentPolicy);
        agentApi.MapAgents();
        agentApi.MapAdminInboxes();
        agentApi.MapAgentConversations();
        agentApi.MapApplicationApi();
        agentApi.MapWebhooks();
        agentApi.MapAgentUploads(limits);
        app.MapAttachmentDownloads();

        MapChatHub(app);
        app.MapCable();
    }

    /// <summary>What MapHub does (the hub's attributes, [Authorize] included, and HubMetadata as endpoint metadata), with
    /// connection middlewares in front of the hub: the <see cref="ConnectionBudget"/>'s slot (<see cref="HubAdmission"/>);
    /// <see cref="HubConnections"/> holds the handshake answer until
    /// the connection is in its groups and lets the node close every connection after a backplane outage;
    /// <see cref="SlowReaderGuard"/> bounds what waits for a client that stops reading.</summary>
    private static void MapChatHub(WebApplication app)
    {
        var connections = app.Services.GetRequiredService<HubConnections>();
        var unsentLimit = app.Services.GetRequiredService<IOptions<ChatLimits>>().Value.MaxUnsentBytesPerConnection;
        var guardLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SlowReaderGuard));
        // Stateful reconnect: a short drop resumes the same connection (groups kept, nothing lost); see README.
        var options = new HttpConnectionDispatcherOptions { AllowStatefulReconnects = true };
        var budget = app.Services.GetRequiredService<ConnectionBudget>();
        var endpoint = app.MapConnections(HubPaths.Chat, options, builder => builder
            .UseConnectionBudget(budget)
            .Use((connection, next) => connections.RunAsync(connection, next))
            .UseSlowReaderGuard(unsentLimit, guardLog)
            .UseHub<ChatHub>());
        var attributes = typeof(ChatHub).GetCustomAttributes(inherit: true);
        endpoint.Add(e =>
        {
            foreach (var attribute in attributes) e.Metadata.Add(attribute);
            e.Metadata.Add(new HubMetadata(typeof(ChatHub)));
        });
    }
}
