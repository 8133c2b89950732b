using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Authorization: a contact touches only its own conversations (anything else is "not found", so
/// nothing leaks), an agent only those of inboxes it is a member of.</summary>
public static class ConversationAccess
{
    public static ConversationRow Authorize(IChatReader reader, Caller caller, long conversationId)
    {
        var conversation = reader.GetConversation(conversationId);
        if (caller.IsContact)
        {
            if (conversation is null || conversation.ContactId != caller.Id) throw ChatException.NotFound("conversation");
            return conversation;
        }
        if (conversation is null) throw ChatException.NotFound("conversation");
        if (!reader.IsMember(conversation.InboxId, caller.Id)) throw ChatException.Forbidden("you are not a member of this conversation's inbox");
        return conversation;
    }

    public static (MessageRow Message, ConversationRow Conversation) AuthorizeMessage(IChatReader reader, Caller caller, long messageId)
    {
        var message = reader.GetMessage(messageId);
        if (message is null || (caller.IsContact && message.Private)) throw ChatException.NotFound("message");
        try
        {
            return (message, Authorize(reader, caller, message.ConversationId));
        }
        catch (ChatException ex) when (ex.Code == Contracts.ErrorCodes.NotFound)
        {
            throw ChatException.NotFound("message");
        }
    }
}
