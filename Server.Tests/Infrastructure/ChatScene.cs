using ChatHub.Contracts;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A server with one customer (a contact made over REST, connected to the hub) and the bootstrap
/// administrator agent connected to the hub: the usual cast of a realtime test.</summary>
public sealed class ChatScene : IAsyncDisposable
{
    private ChatScene(ChatServer server, ContactDto contact, HubSession customer, HubSession agent)
    {
        Server = server;
        Contact = contact;
        Customer = customer;
        Agent = agent;
    }

    public ChatServer Server { get; }
    public ContactDto Contact { get; }
    public HubSession Customer { get; }
    public HubSession Agent { get; }

    public static async Task<ChatScene> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var server = await ChatServer.StartAsync(settings: settings);
        var contact = await server.CreateContact("Ann");
        var customer = await HubSession.ConnectAsync(server, contact.PubsubToken);
        var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        return new ChatScene(server, contact, customer, agent);
    }

    public Task<ConversationDto> StartConversation(string? firstMessage = null, string? echoId = null) =>
        Customer.Hub.StartConversationAsync(new StartConversationRequest
        {
            Message = firstMessage is null ? null : new NewMessage { Content = firstMessage, EchoId = echoId },
        });

    public Task<HubSession> ConnectAsync(string token) => HubSession.ConnectAsync(Server, token);

    public async ValueTask DisposeAsync()
    {
        await Customer.DisposeAsync();
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
    }
}
