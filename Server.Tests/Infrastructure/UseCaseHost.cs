using System.Collections.Concurrent;
using System.Reflection;
using ChatHub.Contracts;
using ChatHub.Server;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>The server's real composition (<see cref="ChatHubApp.BuildAsync"/> with the settings of a
/// <see cref="ChatServer"/>, on the store <see cref="TestStore"/> names: a SQLite file in a temp folder by default)
/// without Kestrel: the use-case tests call the <see cref="Dispatcher"/> as a transport does, with callers made from
/// rows, and see the events it publishes. The bootstrap ran (inbox 1, administrator agent 1 in it); hosted services
/// (the webhook sender, the upload sweeper, the access sweep) never start, since the host does not: what they do is
/// tested end to end. Events still reach every sink; no connection is open, so the realtime sinks push to nobody.</summary>
public sealed class UseCaseHost : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<(Type, Type), MethodInfo> Senders = new();
    private readonly WebApplication _app;
    private readonly RecordingSink _events;

    private UseCaseHost(WebApplication app, RecordingSink events, Caller admin, string inboxIdentifier, string hmacToken)
    {
        _app = app;
        _events = events;
        Admin = admin;
        InboxIdentifier = inboxIdentifier;
        HmacToken = hmacToken;
    }

    public IServiceProvider Services => _app.Services;
    public Dispatcher Dispatcher => Services.GetRequiredService<Dispatcher>();
    public IChatStore Store => Services.GetRequiredService<IChatStore>();

    /// <summary>The bootstrap administrator (agent 1, member of inbox 1).</summary>
    public Caller Admin { get; }

    /// <summary>The bootstrap inbox (id 1).</summary>
    public const long InboxId = 1;
    public string InboxIdentifier { get; }
    public string HmacToken { get; }

    /// <summary>Every event published so far, in publishing order.</summary>
    public IReadOnlyList<ChatEvent> Events => _events.All;

    /// <param name="settings">Configuration overrides, as for <see cref="ChatServer.StartAsync"/> (rate limits are off
    /// unless <see cref="ChatServer.RateLimitsOn"/> is given).</param>
    public static async Task<UseCaseHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var dbPath = Path.Combine(TempDirectory.Create().Path, "chathub.db");
        var (inboxIdentifier, hmacToken) = (Tokens.NewIdentifier(), Tokens.NewSecret());
        var config = await ChatServer.SettingsAsync(dbPath, Tokens.NewSecret(), inboxIdentifier, hmacToken, settings);
        var events = new RecordingSink();
        var app = await ChatHubApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole();
            builder.Services.AddSingleton<IEventSink>(events);
        });
        var store = app.Services.GetRequiredService<IChatStore>();
        var admin = await store.ReadAsync(r => r.GetAgentAsync(1)) ?? throw new InvalidOperationException("the bootstrap made no administrator");
        return new UseCaseHost(app, events, Caller.ForAgent(admin), inboxIdentifier, hmacToken);
    }

    // ---- the pipeline, as a transport calls it

    /// <summary>Runs a command through <see cref="Dispatcher.SendAsync{TCommand,TResult}"/> (validate, authorize, one
    /// transaction, publish after the commit).</summary>
    public Task<TResult> Send<TResult>(Caller caller, ICommand<TResult> command) =>
        (Task<TResult>)Generic(nameof(Dispatcher.SendAsync), command.GetType(), typeof(TResult)).Invoke(Dispatcher, [caller, command])!;

    /// <summary>Runs a query through <see cref="Dispatcher.AskAsync{TQuery,TResult}"/>.</summary>
    public Task<TResult> Ask<TResult>(Caller caller, IQuery<TResult> query) =>
        (Task<TResult>)Generic(nameof(Dispatcher.AskAsync), query.GetType(), typeof(TResult)).Invoke(Dispatcher, [caller, query])!;

    private static MethodInfo Generic(string name, Type request, Type result) => Senders.GetOrAdd((request, result),
        _ => typeof(Dispatcher).GetMethod(name)!.MakeGenericMethod(request, result));

    // ---- the usual cast, made through the use cases

    /// <summary>A new contact of inbox 1 (or of the inbox <paramref name="inboxIdentifier"/> names), as POST /contacts makes it.</summary>
    public async Task<ContactDto> NewContactAsync(string? name = "Ann", ContactFields? fields = null, string? inboxIdentifier = null,
        string clientAddress = "127.0.0.1") =>
        await Send(Caller.Anonymous, new CreateContact(inboxIdentifier ?? InboxIdentifier, fields ?? ContactFields.None with { Name = name }, clientAddress));

    /// <summary>A new contact of inbox 1, as the caller its credentials make it.</summary>
    public async Task<Caller> ContactAsync(string? name = "Ann", ContactFields? fields = null, string? inboxIdentifier = null) =>
        await CallerOfContactAsync((await NewContactAsync(name, fields, inboxIdentifier)).Id);

    public async Task<Caller> CallerOfContactAsync(long contactId) =>
        Caller.ForContact(await Store.ReadAsync(r => r.GetContactAsync(contactId)) ?? throw new InvalidOperationException($"no contact {contactId}"));

    /// <summary>A new agent made by the administrator, a member of <paramref name="inboxId"/> (none when null); the answer
    /// carries its access token.</summary>
    public async Task<AgentDto> NewAgentAsync(string name = "Grace", string role = AgentRoles.Agent, long? inboxId = InboxId)
    {
        var agent = await Send(Admin, new CreateAgent(name, $"{Guid.NewGuid():N}@example.com", role));
        if (inboxId is { } id) await Send(Admin, new AddMembers(id, [agent.Id]));
        return agent;
    }

    /// <summary>A new agent, as the caller its access token makes it.</summary>
    public async Task<Caller> AgentAsync(string name = "Grace", string role = AgentRoles.Agent, long? inboxId = InboxId) =>
        await CallerOfAgentAsync((await NewAgentAsync(name, role, inboxId)).Id);

    public async Task<Caller> CallerOfAgentAsync(long agentId) =>
        Caller.ForAgent(await Store.ReadAsync(r => r.GetAgentAsync(agentId)) ?? throw new InvalidOperationException($"no agent {agentId}"));

    /// <summary>Reports a connection of the agent as open, as the connection admission does for every channel (no
    /// transport here): the agent is connected, so their chosen availability applies (Application/Presence).</summary>
    public Task ConnectAgentAsync(long agentId) => Services.GetRequiredService<PresenceTracker>().OpenedAsync(agentId);

    /// <summary>A new inbox made by the administrator (who becomes its member).</summary>
    public Task<InboxAdminDto> InboxAsync(string name = "Sales", bool hmacMandatory = false, bool csatSurveyEnabled = false) =>
        Send(Admin, new CreateInbox(name, hmacMandatory, null, null, null, csatSurveyEnabled));

    /// <summary>The contact starts a conversation, with a first message unless <paramref name="firstMessage"/> is null.</summary>
    public Task<ConversationDto> ConversationAsync(Caller contact, string? firstMessage = "hello", string? echoId = null) =>
        Send(contact, new StartConversation(null, firstMessage is null ? null : new NewMessage { Content = firstMessage, EchoId = echoId }));

    /// <summary>A text message (or a private note, or an agent's interactive message) into a conversation.</summary>
    public Task<MessageDto> SayAsync(Caller caller, long conversationId, string content, string? echoId = null, bool isPrivate = false,
        string? contentType = null, System.Text.Json.JsonElement? contentAttributes = null) =>
        Send(caller, new SendMessage(conversationId, content, echoId, contentType, contentAttributes, isPrivate));

    /// <summary>A page of a conversation as the caller sees it (its seq stream).</summary>
    public async Task<IReadOnlyList<MessageDto>> MessagesAsync(Caller caller, long conversationId, long? before = null, long? afterSeq = null,
        int? limit = 100) =>
        (await Ask(caller, new GetMessages(conversationId, before, afterSeq, limit))).Messages;

    public Task<ConversationDto> ConversationOfAsync(Caller caller, long conversationId) => Ask(caller, new GetConversation(conversationId));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Records what the dispatcher publishes, beside the real sinks.</summary>
    private sealed class RecordingSink : IEventSink
    {
        private readonly List<ChatEvent> _events = [];

        public IReadOnlyList<ChatEvent> All { get { lock (_events) return _events.ToList(); } }

        public void Publish(ChatEvent change)
        {
            lock (_events) _events.Add(change);
        }
    }
}
