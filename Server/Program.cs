using ChatHub.Server;
using ChatHub.Server.Storage;

WebApplication app;
try
{
    app = await ChatHubApp.BuildAsync(args);
}
catch (StorageConfigurationException ex)
{
    // A storage setting that cannot work: one line naming the key, no stack trace.
    Console.Error.WriteLine($"ChatHub cannot start: {ex.Message}");
    return 1;
}
await app.RunAsync();
return 0;
