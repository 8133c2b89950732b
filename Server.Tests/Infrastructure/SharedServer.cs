using Xunit;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>One <see cref="ChatServer"/> for all the tests of a class (an xunit class fixture): for end-to-end tests of a
/// transport's mapping, which each make their own contacts, agents and conversations and assert nothing about the server
/// as a whole, so that a class of them pays for one server start, not one per test. The rules behind the routes are
/// tested in-process (Server.Tests/UseCases); a test that needs settings or a store of its own starts its own server.</summary>
public class SharedServer : IAsyncLifetime
{
    private ChatServer? _server;

    public ChatServer Server => _server ?? throw new InvalidOperationException("the shared server is not started");

    /// <summary>The settings the server starts with (none: a plain test server).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(settings: Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
