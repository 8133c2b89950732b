using System.Text.Json;
using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The hub's methods as typed calls over a <see cref="ChatHubConnection"/>. Each has an overload
/// taking a <see cref="CancellationToken"/>, which stops waiting (the server may still run the call).</summary>
public sealed class ChatHubProxy : IChatHub
{
    private readonly ChatHubConnection _connection;

    internal ChatHubProxy(ChatHubConnection connection) => _connection = connection;

    public Task<ConversationDto> StartConversation(StartConversationRequest request) => StartConversation(request, default);

    public Task<ConversationDto> StartConversation(StartConversationRequest request, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<ConversationDto>(nameof(IChatHub.StartConversation), [request], cancellationToken);

    public Task<MessageDto> SendMessage(SendMessageRequest request) => SendMessage(request, default);

    public Task<MessageDto> SendMessage(SendMessageRequest request, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<MessageDto>(nameof(IChatHub.SendMessage), [request], cancellationToken);

    public Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request) => ListConversations(request, default);

    public Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<IReadOnlyList<ConversationDto>>(nameof(IChatHub.ListConversations), [request], cancellationToken);

    public Task<GetMessagesResult> GetMessages(GetMessagesRequest request) => GetMessages(request, default);

    public Task<GetMessagesResult> GetMessages(GetMessagesRequest request, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<GetMessagesResult>(nameof(IChatHub.GetMessages), [request], cancellationToken);

    public Task SetTyping(long conversationId, bool isTyping) => SetTyping(conversationId, isTyping, default);

    public Task SetTyping(long conversationId, bool isTyping, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(nameof(IChatHub.SetTyping), [conversationId, isTyping], cancellationToken);

    public Task MarkSeen(long conversationId) => MarkSeen(conversationId, default);

    public Task MarkSeen(long conversationId, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(nameof(IChatHub.MarkSeen), [conversationId], cancellationToken);

    public Task<ConversationDto> SetStatus(long conversationId, string status) => SetStatus(conversationId, status, default);

    public Task<ConversationDto> SetStatus(long conversationId, string status, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<ConversationDto>(nameof(IChatHub.SetStatus), [conversationId, status], cancellationToken);

    public Task<ConversationDto> Assign(long conversationId, long? agentId) => Assign(conversationId, agentId, default);

    public Task<ConversationDto> Assign(long conversationId, long? agentId, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<ConversationDto>(nameof(IChatHub.Assign), [conversationId, agentId], cancellationToken);

    public Task<ContactDto> UpdateContact(UpdateContactRequest request) => UpdateContact(request, default);

    public Task<ContactDto> UpdateContact(UpdateContactRequest request, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<ContactDto>(nameof(IChatHub.UpdateContact), [request], cancellationToken);

    public Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues) => SubmitValues(messageId, submittedValues, default);

    public Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<MessageDto>(nameof(IChatHub.SubmitValues), [messageId, submittedValues], cancellationToken);

    public Task SetAvailability(string availability) => SetAvailability(availability, default);

    public Task SetAvailability(string availability, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(nameof(IChatHub.SetAvailability), [availability], cancellationToken);

    public Task<long> Ping(long clientTime) => Ping(clientTime, default);

    public Task<long> Ping(long clientTime, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<long>(nameof(IChatHub.Ping), [clientTime], cancellationToken);
}
