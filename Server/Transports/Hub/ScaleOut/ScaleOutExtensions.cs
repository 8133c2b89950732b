using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace ChatHub.Server.Transports.Hub.ScaleOut;

public static class ScaleOutExtensions
{
    /// <summary>Several nodes behind one Redis (README "Scale-out"): SignalR's official Redis backplane on this node's
    /// <see cref="RedisBackplane"/> connection, configured by the <c>Redis</c> section, plus what ChatHub adds around
    /// it: the health check, inbox joins across nodes and the recovery after an outage.</summary>
    public static ISignalRServerBuilder AddRedisScaleOut(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var services = signalR.Services;
        services.Configure<ScaleOutOptions>(configuration.GetSection("Redis"));
        services.AddSingleton<RedisBackplane>();
        services.AddSingleton<IBackplaneStatus>(sp => sp.GetRequiredService<RedisBackplane>());
        services.AddSingleton<RedisRechecks>();
        services.AddSingleton<IClusterRechecks>(sp => sp.GetRequiredService<RedisRechecks>());
        services.AddHostedService<OutageRecovery>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        signalR.AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<RedisBackplane>((options, backplane) =>
            options.ConnectionFactory = _ => Task.FromResult(backplane.Multiplexer));
        return signalR;
    }

    /// <summary>While this node's backplane is unhealthy, hub requests (negotiate and connect) are answered at once
    /// with 503, Retry-After and "unavailable": SignalR's backplane cannot take a connection without Redis (joining
    /// its channels would hang), and a clear refusal lets the client's reconnect loop try again, here or elsewhere.</summary>
    public static IApplicationBuilder UseHubRefusalWhileBackplaneDown(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<IBackplaneStatus>() is not { } backplane) return app;
        return app.Use(async (context, next) =>
        {
            if (!backplane.IsHealthy && context.Request.Path.StartsWithSegments(HubPaths.Chat))
            {
                context.Response.Headers.RetryAfter = "2";
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                    detail: $"{ErrorCodes.Unavailable}: this node cannot reach its Redis backplane; try again shortly").ExecuteAsync(context);
                return;
            }
            await next();
        });
    }
}
