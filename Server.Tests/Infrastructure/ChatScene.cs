using ChatHub.Contracts;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A customer (a contact made over REST, connected to the hub) and an agent connected to the hub: the usual cast
/// of a realtime test. On a server of its own (<see cref="StartAsync"/>: the agent is the bootstrap administrator), or on
/// a server a test class shares (<see cref="StartOnAsync"/>: an inbox of its own, with a new agent as its only member
/// besides the administrator, so that the scene's connections hear its own conversations and no other test's).</summary>
public sealed class ChatScene : IAsyncDisposable
{
    private readonly bool _ownsServer;

    private ChatScene(ChatServer server, bool ownsServer, long inboxId, string inboxIdentifier, long agentId, ContactDto contact, HubSession customer, HubSession agent)
    {
        Server = server;
        _ownsServer = ownsServer;
        InboxId = inboxId;
        InboxIdentifier = inboxIdentifier;
        AgentId = agentId;
        Contact = contact;
        Customer = customer;
        Agent = agent;
    }

    public ChatServer Server { get; }
    /// <summary>The scene's inbox: the customer's, and the agent's.</summary>
    public long InboxId { get; }
    public string InboxIdentifier { get; }
    /// <summary>The connected agent's id.</summary>
    public long AgentId { get; }
    public ContactDto Contact { get; }
    public HubSession Customer { get; }
    public HubSession Agent { get; }

    public static async Task<ChatScene> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var server = await ChatServer.StartAsync(settings: settings);
        var contact = await server.CreateContact("Ann");
        var customer = await HubSession.ConnectAsync(server, contact.PubsubToken);
        var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        return new ChatScene(server, ownsServer: true, 1, server.InboxIdentifier, 1, contact, customer, agent);
    }

    /// <summary>A scene in an inbox of its own on <paramref name="server"/>, which it leaves running when disposed.</summary>
    public static async Task<ChatScene> StartOnAsync(ChatServer server)
    {
        using var admin = server.AgentHttp(server.AgentToken);
        var inbox = await admin.PostRead<InboxAdminDto>("/api/v1/inboxes", new { name = "Scene" });
        var agentDto = await server.CreateAgent("Agent", inboxId: inbox.Id);
        var contact = await server.Http.PostRead<ContactDto>($"/public/api/v1/inboxes/{inbox.Identifier}/contacts", new { name = "Ann" });
        var customer = await HubSession.ConnectAsync(server, contact.PubsubToken);
        var agent = await HubSession.ConnectAsync(server, agentDto.AccessToken!);
        return new ChatScene(server, ownsServer: false, inbox.Id, inbox.Identifier, agentDto.Id, contact, customer, agent);
    }

    /// <summary>Another contact of the scene's inbox.</summary>
    public Task<ContactDto> CreateContactAsync(string name) =>
        Server.Http.PostRead<ContactDto>($"/public/api/v1/inboxes/{InboxIdentifier}/contacts", new { name });

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
        if (_ownsServer) await Server.DisposeAsync();
    }
}
