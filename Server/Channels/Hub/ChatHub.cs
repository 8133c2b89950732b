using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Channels.Hub;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Observability;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

// In the ChatHub.Server namespace (not ChatHub.Server.Channels.Hub, where its folder is) so that "ChatHub" names this
// class, not the root namespace, everywhere under ChatHub.Server (IHubContext<ChatHub>, tests included).
namespace ChatHub.Server;

/// <summary>The realtime transport: each method maps its arguments to a use case and nothing else.
/// Errors become coded HubExceptions in <see cref="HubErrorFilter"/>.</summary>
[Authorize(AuthenticationSchemes = TokenAuthenticationHandler.HubScheme)]
public sealed class ChatHub(Dispatcher use, ConnectionAdmission admission, IHubContext<ChatHub, IChatClient> hub, ChatMetrics metrics)
    : Hub<IChatClient>, IChatHub
{
    /// <summary>Who calls; a connection whose credentials were revoked since it opened (it is being closed) is refused.</summary>
    private Caller Caller => Context.Items[typeof(OpenConnection)] is OpenConnection { IsRevoked: false } connection
        ? connection.Caller
        : throw ChatException.Unauthorized("this connection's credentials are no longer valid");

    public override async Task OnConnectedAsync()
    {
        var caller = TokenAuthenticationHandler.FromPrincipal(Context.User!) with { ConnectionId = Context.ConnectionId };
        var connection = await admission.AdmitAsync(caller, new HubConnectionControl(Context, hub));
        if (connection is null)
        {
            // Revoked between its negotiate and now: the client is told so instead of getting a handshake.
            Context.Features.Get<HandshakeGate>()?.Refuse($"{ErrorCodes.Unauthorized}: these credentials are no longer valid");
            Context.Abort();
            return;
        }
        Context.Items[typeof(OpenConnection)] = connection;
        metrics.ConnectionOpened(ConnectionKind(caller)); // counted before the client hears it is open
        // In every group now (behind Redis: subscribed, so every node's pushes reach it): only now does the client
        // get its handshake answer, so a connection reported open misses no push (HubConnections, HandshakeGate).
        Context.Features.Get<HandshakeGate>()?.Open();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[typeof(OpenConnection)] is not OpenConnection connection) return Task.CompletedTask;
        admission.Release(connection);
        metrics.ConnectionClosed(ConnectionKind(connection.Caller));
        return Task.CompletedTask;
    }

    private static string ConnectionKind(Caller caller) => caller.IsAgent ? "agent" : "customer";

    public Task<ConversationDto> StartConversation(StartConversationRequest request) =>
        use.SendAsync<StartConversation, ConversationDto>(Caller, new(NotNull(request).CustomAttributes, request.Message, request.CampaignId));

    public Task<MessageDto> SendMessage(SendMessageRequest request) =>
        use.SendAsync<SendMessage, MessageDto>(Caller, new(NotNull(request).ConversationId, request.Content, request.EchoId,
            request.ContentType, request.ContentAttributes, request.Private ?? false, AttachmentIds: request.AttachmentIds));

    public async Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request)
    {
        var query = request ?? new ListConversationsRequest();
        return (await use.AskAsync<ListConversations, ConversationPage>(Caller,
            new(query.Status, query.InboxId, query.Assignee, query.Page, Labels: query.Labels, AssigneeId: query.AssigneeId,
                TeamId: query.TeamId))).Conversations;
    }

    // Search (issue 25): the console's search box.
    public Task<MessageSearchResult> SearchMessages(SearchRequest request) =>
        use.AskAsync<Features.Search.SearchMessages, MessageSearchResult>(Caller, new(request?.Q, request?.Page, request?.InboxId));
    public Task<ConversationSearchResult> SearchConversations(SearchRequest request) =>
        use.AskAsync<Features.Search.SearchConversations, ConversationSearchResult>(Caller, new(request?.Q, request?.Page, request?.InboxId));

    public Task<GetMessagesResult> GetMessages(GetMessagesRequest request) =>
        use.AskAsync<GetMessages, GetMessagesResult>(Caller, new(NotNull(request).ConversationId, request.Before, request.AfterSeq, request.Limit));

    public Task SetTyping(long conversationId, bool isTyping) => use.AskAsync<SetTyping, Done>(Caller, new(conversationId, isTyping));

    public Task MarkSeen(long conversationId) => use.SendAsync<MarkSeen, Done>(Caller, new(conversationId));

    /// <summary>Sneak peek (issue 27): the customer's unsent text, to the inbox's agents (not in IChatHub yet: the .NET
    /// client's contract is another change's).</summary>
    public Task SendSneakPeek(long conversationId, string? text) =>
        use.AskAsync<Features.SneakPeek.SendSneakPeek, Done>(Caller, new(conversationId, text));

    /// <summary>A customer asks for the conversation's transcript by email (not in IChatHub yet: the .NET client's contract
    /// is another change's).</summary>
    public Task SendTranscript(long conversationId) => use.AskAsync<Features.Email.SendTranscript, Done>(Caller, new(conversationId));

    public Task<ConversationDto> SetStatus(long conversationId, string status) =>
        use.SendAsync<SetStatus, ConversationDto>(Caller, new(conversationId, status ?? ""));

    public Task<ConversationDto> Assign(long conversationId, long? agentId) => use.SendAsync<Assign, ConversationDto>(Caller, new(conversationId, agentId));

    /// <summary>Assigns the conversation to a team, or clears its team (null): the console's team picker (not in IChatHub
    /// yet: the .NET client's contract is another change's).</summary>
    public Task<ConversationDto> AssignTeam(long conversationId, long? teamId) =>
        use.SendAsync<Features.Teams.AssignTeam, ConversationDto>(Caller, new(conversationId, teamId));

    public Task<ContactDto> UpdateContact(UpdateContactRequest request) =>
        use.SendAsync<UpdateContact, ContactDto>(Caller, new(new ContactFields(null, null, NotNull(request).Name, request.Email,
            request.PhoneNumber, request.CustomAttributes)));

    public Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues) =>
        use.SendAsync<SubmitValues, MessageDto>(Caller, new(messageId, submittedValues));

    /// <summary>The post-chat form's answers (issue 27), by question id.</summary>
    public Task<IReadOnlyList<Features.PostChatForms.PostChatAnswer>> SubmitPostChatAnswers(long conversationId, Dictionary<string, string?> answers) =>
        use.SendAsync<Features.PostChatForms.SubmitPostChatAnswers, IReadOnlyList<Features.PostChatForms.PostChatAnswer>>(Caller, new(conversationId, answers));

    public Task SetAvailability(string availability) => use.SendAsync<SetAvailability, Done>(Caller, new(availability));

    public Task<long> Ping(long clientTime) => Task.FromResult(Caller is not null ? Clock.NowMs() : 0);

    private static T NotNull<T>(T? request) where T : class =>
        request ?? throw ChatException.Invalid("request", "request must not be null");
}
