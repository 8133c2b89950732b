using System.Text.Json;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>The hub's methods as typed calls over the official <see cref="HubConnection"/>. A refusal by the hub
/// throws <see cref="ChatHubException"/> with its code; a connection that is down or drops before the answer throws
/// <see cref="ChatHubConnectionClosedException"/> (the call may or may not have reached the server). Each method
/// has an overload taking a <see cref="CancellationToken"/>, which stops waiting (the server may still run the call).</summary>
public sealed class ChatHubProxy(HubConnection connection) : IChatHub
{
    public HubConnection Connection { get; } = connection ?? throw new ArgumentNullException(nameof(connection));

    public Task<ConversationDto> StartConversation(StartConversationRequest request) => StartConversation(request, default);

    public Task<ConversationDto> StartConversation(StartConversationRequest request, CancellationToken cancellationToken) =>
        InvokeAsync<ConversationDto>(nameof(IChatHub.StartConversation), [request], cancellationToken);

    public Task<MessageDto> SendMessage(SendMessageRequest request) => SendMessage(request, default);

    public Task<MessageDto> SendMessage(SendMessageRequest request, CancellationToken cancellationToken) =>
        InvokeAsync<MessageDto>(nameof(IChatHub.SendMessage), [request], cancellationToken);

    public Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request) => ListConversations(request, default);

    public Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request, CancellationToken cancellationToken) =>
        InvokeAsync<IReadOnlyList<ConversationDto>>(nameof(IChatHub.ListConversations), [request], cancellationToken);

    public Task<GetMessagesResult> GetMessages(GetMessagesRequest request) => GetMessages(request, default);

    public Task<GetMessagesResult> GetMessages(GetMessagesRequest request, CancellationToken cancellationToken) =>
        InvokeAsync<GetMessagesResult>(nameof(IChatHub.GetMessages), [request], cancellationToken);

    public Task SetTyping(long conversationId, bool isTyping) => SetTyping(conversationId, isTyping, default);

    public Task SetTyping(long conversationId, bool isTyping, CancellationToken cancellationToken) =>
        InvokeAsync(nameof(IChatHub.SetTyping), [conversationId, isTyping], cancellationToken);

    public Task MarkSeen(long conversationId) => MarkSeen(conversationId, default);

    public Task MarkSeen(long conversationId, CancellationToken cancellationToken) =>
        InvokeAsync(nameof(IChatHub.MarkSeen), [conversationId], cancellationToken);

    public Task<ConversationDto> SetStatus(long conversationId, string status) => SetStatus(conversationId, status, default);

    public Task<ConversationDto> SetStatus(long conversationId, string status, CancellationToken cancellationToken) =>
        InvokeAsync<ConversationDto>(nameof(IChatHub.SetStatus), [conversationId, status], cancellationToken);

    public Task<ConversationDto> Assign(long conversationId, long? agentId) => Assign(conversationId, agentId, default);

    public Task<ConversationDto> Assign(long conversationId, long? agentId, CancellationToken cancellationToken) =>
        InvokeAsync<ConversationDto>(nameof(IChatHub.Assign), [conversationId, agentId], cancellationToken);

    public Task<ContactDto> UpdateContact(UpdateContactRequest request) => UpdateContact(request, default);

    public Task<ContactDto> UpdateContact(UpdateContactRequest request, CancellationToken cancellationToken) =>
        InvokeAsync<ContactDto>(nameof(IChatHub.UpdateContact), [request], cancellationToken);

    public Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues) => SubmitValues(messageId, submittedValues, default);

    public Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues, CancellationToken cancellationToken) =>
        InvokeAsync<MessageDto>(nameof(IChatHub.SubmitValues), [messageId, submittedValues], cancellationToken);

    public Task SetAvailability(string availability) => SetAvailability(availability, default);

    public Task SetAvailability(string availability, CancellationToken cancellationToken) =>
        InvokeAsync(nameof(IChatHub.SetAvailability), [availability], cancellationToken);

    public Task<long> Ping(long clientTime) => Ping(clientTime, default);

    public Task<long> Ping(long clientTime, CancellationToken cancellationToken) =>
        InvokeAsync<long>(nameof(IChatHub.Ping), [clientTime], cancellationToken);

    /// <summary>Any hub method by name, with the same errors as the typed calls.</summary>
    public async Task<T> InvokeAsync<T>(string method, object?[] args, CancellationToken cancellationToken = default)
    {
        try
        {
            return (T)(await Connection.InvokeCoreAsync(method, typeof(T), args, cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (CallErrors.Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Any hub method that returns nothing; completes when the server has run it.</summary>
    public Task InvokeAsync(string method, object?[] args, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(method, args, cancellationToken);
}
