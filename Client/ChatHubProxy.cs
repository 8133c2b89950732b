using System.Text.Json;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>The hub's methods as typed calls over the official <see cref="Microsoft.AspNetCore.SignalR.Client.HubConnection"/>,
/// each called once: no retry, no tracking. The .NET names end in <c>Async</c> and take a
/// <see cref="CancellationToken"/>, as the official client's do; on the wire each call is the hub method of the same
/// name without the suffix (<see cref="SendMessageAsync"/> invokes <c>SendMessage</c>). <see cref="IChatHub"/>, whose
/// names are the wire names, is implemented explicitly, so the compiler checks that every hub method has a call here.
/// A refusal by the hub throws <see cref="ChatHubException"/> with its code; a connection that is down or drops
/// before the answer throws <see cref="ChatHubConnectionClosedException"/> (the call may or may not have reached the
/// server). Cancelling stops waiting; the server may still run the call.</summary>
public sealed class ChatHubProxy(HubConnection hubConnection) : IChatHub
{
    /// <summary>The official connection the calls go over.</summary>
    public HubConnection HubConnection { get; } = hubConnection ?? throw new ArgumentNullException(nameof(hubConnection));

    /// <summary>Starts a conversation (contacts), optionally with its first message; <c>StartConversation</c>.</summary>
    public Task<ConversationDto> StartConversationAsync(StartConversationRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<ConversationDto>(nameof(IChatHub.StartConversation), [request], cancellationToken);

    /// <summary>Sends a message and returns it as stored (a repeated echoId returns the original); <c>SendMessage</c>.</summary>
    public Task<MessageDto> SendMessageAsync(SendMessageRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<MessageDto>(nameof(IChatHub.SendMessage), [request], cancellationToken);

    /// <summary>The caller's conversations, each with its newest page; <c>ListConversations</c>.</summary>
    public Task<IReadOnlyList<ConversationDto>> ListConversationsAsync(ListConversationsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<ConversationDto>>(nameof(IChatHub.ListConversations), [request], cancellationToken);

    /// <summary>A page of messages: older history (<c>Before</c>) or the changes after a seq (<c>AfterSeq</c>);
    /// <c>GetMessages</c>.</summary>
    public Task<GetMessagesResult> GetMessagesAsync(GetMessagesRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<GetMessagesResult>(nameof(IChatHub.GetMessages), [request], cancellationToken);

    /// <summary>Tells the other side the caller is (or stopped) typing; <c>SetTyping</c>.</summary>
    public Task SetTypingAsync(long conversationId, bool isTyping, CancellationToken cancellationToken = default) =>
        InvokeAsync(nameof(IChatHub.SetTyping), [conversationId, isTyping], cancellationToken);

    /// <summary>Marks the other side's messages read; <c>MarkSeen</c>.</summary>
    public Task MarkSeenAsync(long conversationId, CancellationToken cancellationToken = default) =>
        InvokeAsync(nameof(IChatHub.MarkSeen), [conversationId], cancellationToken);

    /// <summary>Sets open, pending or resolved (<see cref="ConversationStatuses"/>); <c>SetStatus</c>.</summary>
    public Task<ConversationDto> SetStatusAsync(long conversationId, string status, CancellationToken cancellationToken = default) =>
        InvokeAsync<ConversationDto>(nameof(IChatHub.SetStatus), [conversationId, status], cancellationToken);

    /// <summary>Assigns the conversation to an agent of its inbox (agents; null unassigns); <c>Assign</c>.</summary>
    public Task<ConversationDto> AssignAsync(long conversationId, long? agentId, CancellationToken cancellationToken = default) =>
        InvokeAsync<ConversationDto>(nameof(IChatHub.Assign), [conversationId, agentId], cancellationToken);

    /// <summary>Updates the calling contact's name, email, phone or custom attributes; <c>UpdateContact</c>.</summary>
    public Task<ContactDto> UpdateContactAsync(UpdateContactRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<ContactDto>(nameof(IChatHub.UpdateContact), [request], cancellationToken);

    /// <summary>A contact's answer to an interactive message (a form, a choice, a rating); <c>SubmitValues</c>.</summary>
    public Task<MessageDto> SubmitValuesAsync(long messageId, JsonElement submittedValues, CancellationToken cancellationToken = default) =>
        InvokeAsync<MessageDto>(nameof(IChatHub.SubmitValues), [messageId, submittedValues], cancellationToken);

    /// <summary>Online, busy or offline (<see cref="Availabilities"/>; agents); <c>SetAvailability</c>.</summary>
    public Task SetAvailabilityAsync(string availability, CancellationToken cancellationToken = default) =>
        InvokeAsync(nameof(IChatHub.SetAvailability), [availability], cancellationToken);

    /// <summary>The server's clock (Unix milliseconds), for measuring round trips; <c>Ping</c>.</summary>
    public Task<long> PingAsync(long clientTime, CancellationToken cancellationToken = default) =>
        InvokeAsync<long>(nameof(IChatHub.Ping), [clientTime], cancellationToken);

    /// <summary>Any hub method by its wire name, with the same errors as the typed calls (for tools and tests that
    /// send what the typed calls cannot).</summary>
    public async Task<T> InvokeAsync<T>(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        try
        {
            return (T)(await HubConnection.InvokeCoreAsync(methodName, typeof(T), args, cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (CallErrors.Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Any hub method that returns nothing, by its wire name; completes when the server has run it.</summary>
    public Task InvokeAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(methodName, args, cancellationToken);

    Task<ConversationDto> IChatHub.StartConversation(StartConversationRequest request) => StartConversationAsync(request);

    Task<MessageDto> IChatHub.SendMessage(SendMessageRequest request) => SendMessageAsync(request);

    Task<IReadOnlyList<ConversationDto>> IChatHub.ListConversations(ListConversationsRequest request) => ListConversationsAsync(request);

    Task<GetMessagesResult> IChatHub.GetMessages(GetMessagesRequest request) => GetMessagesAsync(request);

    Task IChatHub.SetTyping(long conversationId, bool isTyping) => SetTypingAsync(conversationId, isTyping);

    Task IChatHub.MarkSeen(long conversationId) => MarkSeenAsync(conversationId);

    Task<ConversationDto> IChatHub.SetStatus(long conversationId, string status) => SetStatusAsync(conversationId, status);

    Task<ConversationDto> IChatHub.Assign(long conversationId, long? agentId) => AssignAsync(conversationId, agentId);

    Task<ContactDto> IChatHub.UpdateContact(UpdateContactRequest request) => UpdateContactAsync(request);

    Task<MessageDto> IChatHub.SubmitValues(long messageId, JsonElement submittedValues) => SubmitValuesAsync(messageId, submittedValues);

    Task IChatHub.SetAvailability(string availability) => SetAvailabilityAsync(availability);

    Task<long> IChatHub.Ping(long clientTime) => PingAsync(clientTime);
}
