using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Hosting;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Bootstrap;

/// <summary><c>ChatHub.Server reset-token &lt;email&gt; [--Key=value ...]</c>: the way back in when an access token is
/// lost (the first start logs the administrator's once). Runs on the same settings as the server (appsettings.json,
/// environment, the --Key=value that follow), through the same use case as the REST API, without listening on any
/// port: it may run beside a running server on SQLite or PostgreSQL (LiteDB's file is one process's: stop the server
/// first). Prints the new token once, on stdout; the old one stops working.</summary>
public static class ResetTokenCommand
{
    public const string Name = "reset-token";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith("--"))
        {
            Console.Error.WriteLine($"usage: {Name} <email> [--Storage:Sqlite:Path=... or other settings]");
            return 2;
        }
        var email = args[1];
        WebApplication app;
        try
        {
            app = await ChatHubApp.BuildAsync(args[2..], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        }
        catch (Exception ex)
        {
            return StartupFailure.Report(ex);
        }
        await using (app)
        {
            try
            {
                var agent = await app.Services.GetRequiredService<Dispatcher>()
                    .SendAsync<ResetAccessToken, AgentDto>(Caller.Operator, new ResetAccessToken(null, email));
                Console.WriteLine($"New access token for {agent.Name} <{agent.Email}> (agent {agent.Id}); the old one no longer works:");
                Console.WriteLine(agent.AccessToken);
                return 0;
            }
            catch (ChatException ex)
            {
                Console.Error.WriteLine($"reset-token: {ex.Detail}");
                return 1;
            }
        }
    }
}
