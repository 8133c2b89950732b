using ChatHub.Server;

var app = await ChatHubApp.BuildAsync(args);
await app.RunAsync();
