using ChatHub.Server.Application.Events;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Application.Presence;

public static class PresenceRegistration
{
    /// <summary>Presence from connections (<see cref="AgentPresence"/>): on a single node its board is in memory;
    /// AddScaleOut replaces <see cref="IPresenceBoard"/> with the Redis one every node shares.</summary>
    public static IServiceCollection AddPresence(this IServiceCollection services, IConfiguration config)
    {
        Settings.Read<PresenceOptions>(config).Validate(); // a wrong value stops the start
        services.AddSettings<PresenceOptions>(config);
        services.AddSingleton<IPresenceBoard, InMemoryPresenceBoard>();
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<PresenceTracker>();
        services.AddHostedService<PresenceSweep>();
        services.AddSingleton<IEventSink, MembershipPresenceSink>();
        return services;
    }
}
