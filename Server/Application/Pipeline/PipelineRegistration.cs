using FluentValidation;

namespace ChatHub.Server.Application.Pipeline;

public static class PipelineRegistration
{
    /// <summary>Registers the dispatcher, every use case handler and every validator of this assembly.</summary>
    public static IServiceCollection AddUseCases(this IServiceCollection services)
    {
        services.AddSingleton<Dispatcher>();
        var types = typeof(PipelineRegistration).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false });
        foreach (var type in types)
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(ICommandHandler<,>) || definition == typeof(IQueryHandler<,>) || definition == typeof(IValidator<>))
                    services.AddSingleton(contract, type);
            }
        }
        return services;
    }
}
