using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Realtime.Redis;

public static class RedisBackplaneExtensions
{
    /// <summary>Replaces SignalR's single-node lifetime manager with <see cref="RedisHubLifetimeManager{THub}"/>
    /// (configured by the <c>Redis</c> section) and adds its health check to /healthz.</summary>
    public static IServiceCollection AddRedisBackplane(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RedisBackplaneOptions>(configuration.GetSection("Redis"));
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisOutbox>();
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(RedisHubLifetimeManager<>));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return services;
    }
}
