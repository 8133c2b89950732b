using ChatHub.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>Agents' accounts in the container: the "Accounts" settings (checked at start), the sign-in throttle, the
/// password service, and the account mail seam (no mail unless another registration replaces it).</summary>
public static class AccountsRegistration
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration config)
    {
        Settings.Read<AccountOptions>(config).Validate();
        services.AddSettings<AccountOptions>(config);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordAccounts>();
        services.TryAddSingleton<IAccountMail, NoAccountMail>();
        return services;
    }
}
