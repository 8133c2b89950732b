using ChatHub.Server.Hosting;

namespace ChatHub.Server.Features.Reports;

/// <summary>Reports' settings (checked at start) and the administrators' report budget.</summary>
public static class ReportRegistration
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration config)
    {
        services.AddSettings<ReportOptions>(config);
        services.AddOptions<ReportOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReportBudget>();
        return services;
    }
}
