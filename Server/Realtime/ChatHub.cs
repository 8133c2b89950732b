using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

// In the ChatHub.Server namespace (not .Realtime) so that "ChatHub" names this class, not the root namespace,
// everywhere under ChatHub.Server.
namespace ChatHub.Server;

/// <summary>The realtime transport: a thin adapter from hub calls to the feature services.
/// Errors become coded HubExceptions in <see cref="HubErrorFilter"/>.</summary>
[Authorize(AuthenticationSchemes = TokenAuthenticationHandler.HubScheme)]
public sealed class ChatHub(
    ConversationService conversations, ContactService contacts, AgentService agents, AgentConnections agentConnections)
    : Hub<IChatClient>, IChatHub
{
    private Caller Caller => (Context.Items[typeof(Caller)] as Caller)!;

    public override async Task OnConnectedAsync()
    {
        var caller = TokenAuthenticationHandler.FromPrincipal(Context.User!) with { ConnectionId = Context.ConnectionId };
        Context.Items[typeof(Caller)] = caller;
        await Groups.AddToGroupAsync(Context.ConnectionId, caller.PubsubToken);
        if (caller.IsAgent)
        {
            agentConnections.Add(caller.Id, Context.ConnectionId);
            await Groups.AddToGroupAsync(Context.ConnectionId, Realtime.Groups.Agents);
            foreach (var inboxId in agents.InboxIdsOf(caller))
                await Groups.AddToGroupAsync(Context.ConnectionId, Realtime.Groups.Inbox(inboxId));
        }
        // In every group now (behind Redis: subscribed, so every node's pushes reach it): only now does the client
        // get its handshake answer, so a connection reported open misses no push (HubConnections, HandshakeGate).
        Context.Features.Get<HandshakeGate>()?.Open();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Caller is { IsAgent: true } caller) agentConnections.Remove(caller.Id, Context.ConnectionId);
        return Task.CompletedTask;
    }

    public Task<ConversationDto> StartConversation(StartConversationRequest request) =>
        conversations.StartAsync(Caller, new StartConversationCommand(NotNull(request).CustomAttributes, request.Message));

    public Task<MessageDto> SendMessage(SendMessageRequest request) =>
        conversations.SendAsync(Caller, new SendMessageCommand(NotNull(request).ConversationId, request.Content, request.EchoId,
            request.ContentType, request.ContentAttributes, request.Private ?? false));

    public Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request)
    {
        var query = request ?? new ListConversationsRequest();
        return Task.FromResult(conversations.List(Caller,
            new ListConversationsQuery(query.Status, query.InboxId, query.Assignee, query.Page)).Page);
    }

    public Task<GetMessagesResult> GetMessages(GetMessagesRequest request) =>
        Task.FromResult(conversations.GetMessages(Caller,
            new GetMessagesQuery(NotNull(request).ConversationId, request.Before, request.AfterSeq, request.Limit)));

    public Task SetTyping(long conversationId, bool isTyping)
    {
        conversations.SetTyping(Caller, new SetTypingCommand(conversationId, isTyping));
        return Task.CompletedTask;
    }

    public Task MarkSeen(long conversationId) => conversations.MarkSeenAsync(Caller, conversationId);

    public Task<ConversationDto> SetStatus(long conversationId, string status) =>
        conversations.SetStatusAsync(Caller, new SetStatusCommand(conversationId, status ?? ""));

    public Task<ConversationDto> Assign(long conversationId, long? agentId) =>
        conversations.AssignAsync(Caller, new AssignCommand(conversationId, agentId));

    public Task<ContactDto> UpdateContact(UpdateContactRequest request) => contacts.UpdateSelfAsync(Caller, request);

    public Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues) =>
        conversations.SubmitValuesAsync(Caller, new SubmitValuesCommand(messageId, submittedValues));

    public Task SetAvailability(string availability) => agents.SetAvailabilityAsync(Caller, availability);

    public Task<long> Ping(long clientTime) => Task.FromResult(Clock.NowMs());

    private static T NotNull<T>(T? request) where T : class =>
        request ?? throw ChatException.Invalid("request", "request must not be null");
}
