using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Authorization: a contact touches only its own conversations (anything else is "not found", so
/// nothing leaks), an agent only those of inboxes it is a member of.</summary>
public static class ConversationAccess
{
    public static async ValueTask<ConversationRow> ReadAsync(IStoreReader store, Caller caller, long conversationId) =>
        await CheckAsync(store, caller, await store.GetConversationAsync(conversationId));

    /// <summary>The same check, on the conversation held for this transaction's change.</summary>
    public static async ValueTask<ConversationRow> ForUpdateAsync(IStoreTransaction store, Caller caller, long conversationId) =>
        await CheckAsync(store, caller, await store.GetConversationForUpdateAsync(conversationId));

    public static async ValueTask<(MessageRow Message, ConversationRow Conversation)> MessageForUpdateAsync(
        IStoreTransaction store, Caller caller, long messageId)
    {
        var message = await store.GetMessageAsync(messageId);
        if (message is null || (caller.IsContact && !Application.Events.Visibility.ContactSees(message))) throw ChatException.NotFound("message");
        try
        {
            return (message, await ForUpdateAsync(store, caller, message.ConversationId));
        }
        catch (ChatException ex) when (ex.Code == Contracts.ErrorCodes.NotFound)
        {
            throw ChatException.NotFound("message");
        }
    }

    private static async ValueTask<ConversationRow> CheckAsync(IStoreReader store, Caller caller, ConversationRow? conversation)
    {
        if (caller.IsContact)
        {
            if (conversation is null || conversation.ContactId != caller.Id) throw ChatException.NotFound("conversation");
            return conversation;
        }
        if (conversation is null) throw ChatException.NotFound("conversation");
        if (!caller.IsAgent || !await store.IsMemberAsync(conversation.InboxId, caller.Id))
            throw ChatException.Forbidden("you are not a member of this conversation's inbox");
        return conversation;
    }
}
