using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

// The bare echo hub the load test's "js" scenario measures ChatHub against (LoadTest/Scenarios/JsScenario.cs):
// SignalR's ceiling on this machine. `dotnet ChatHub.LoadTest.EchoServer.dll --urls http://127.0.0.1:PORT`;
// the hub is at /hubs/echo, GET /healthz answers once it listens.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSignalR();
var app = builder.Build();
app.MapHub<EchoHub>("/hubs/echo");
app.MapGet("/healthz", () => "healthy");
app.Run();

/// <summary>One method that answers its argument: a call's whole cost is SignalR's (framing, JSON, dispatch).</summary>
public sealed class EchoHub : Hub
{
    public JsonElement Echo(JsonElement request) => request;
}
