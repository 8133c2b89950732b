using ChatHub.Server;
using ChatHub.Server.Bootstrap;
using ChatHub.Server.Hosting;

// A server that cannot start says why in one line and exits 1 (StartupFailure): a busy port, an unwritable data
// path, a setting of the wrong type or out of range. Once started, it runs until it is stopped.
// `reset-token <email>` prints a new access token for that agent instead (ResetTokenCommand).
if (ResetTokenCommand.Matches(args)) return await ResetTokenCommand.RunAsync(args);

WebApplication app;
try
{
    app = await ChatHubApp.BuildAsync(args);
    await StartupFailure.StartAsync(app);
}
catch (Exception ex)
{
    return StartupFailure.Report(ex);
}
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
