using ChatHub.Server.Application.Events;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Features.Visitors;

public static class VisitorRegistration
{
    /// <summary>Visitors on the site (issue 27, Visitors:*): on a single node the board is in memory; AddScaleOut
    /// replaces <see cref="IVisitorBoard"/> with the Redis one every node shares.</summary>
    public static IServiceCollection AddVisitors(this IServiceCollection services, IConfiguration config)
    {
        Settings.Read<VisitorOptions>(config).Validate(); // a wrong value stops the start
        services.AddSettings<VisitorOptions>(config);
        services.AddSingleton<IVisitorBoard, InMemoryVisitorBoard>();
        services.AddSingleton<IEventSink, VisitorInvitationSink>();
        return services;
    }
}
