using System.Text.Json.Nodes;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;
using static ChatHub.Server.Features.Conversations.ConversationMapper;

namespace ChatHub.Server.Features.Conversations;

/// <summary>The one pipeline for conversation commands, from the hub and REST alike:
/// validate -> authorize -> persist in one transaction (taking the conversation's next seq) -> publish after commit.</summary>
public sealed class ConversationService
{
    private readonly IChatStore _store;
    private readonly ConversationEvents _events;
    private readonly RateLimits _rateLimits;
    private readonly ChatLimits _limits;
    private readonly StartConversationValidator _startValidator;
    private readonly SendMessageValidator _sendValidator;
    private readonly ListConversationsValidator _listValidator = new();
    private readonly GetMessagesValidator _getMessagesValidator;
    private readonly SetStatusValidator _statusValidator = new();
    private readonly SubmitValuesValidator _submitValidator;

    public ConversationService(IChatStore store, ConversationEvents events, RateLimits rateLimits, IOptions<ChatLimits> limits)
    {
        _store = store;
        _events = events;
        _rateLimits = rateLimits;
        _limits = limits.Value;
        _startValidator = new StartConversationValidator(_limits);
        _sendValidator = new SendMessageValidator(_limits);
        _getMessagesValidator = new GetMessagesValidator(_limits);
        _submitValidator = new SubmitValuesValidator(_limits);
    }

    public async Task<ConversationDto> StartAsync(Caller caller, StartConversationCommand command)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts start conversations");
        _startValidator.ValidateOrThrow(command);
        // A retried start (see below) sends nothing new, so it does not count against the rate limit.
        var retry = command.Message?.EchoId is { } startEcho && _store.Read(r => r.FindConversationStartedWith(caller.Id, startEcho)) is not null;
        if (!retry)
        {
            _rateLimits.Check(RateLimitedAction.ConversationStart, caller.Key);
            if (command.Message is not null) _rateLimits.Check(RateLimitedAction.Message, caller.Key);
        }

        var (conversation, first) = await _store.WriteAsync(w =>
        {
            // A retried start (same first-message echoId) gets the conversation it created, not a second one.
            if (command.Message?.EchoId is { } echoId && w.FindConversationStartedWith(caller.Id, echoId) is { } startedId)
            {
                var started = w.GetConversation(startedId)!;
                return (started, w.FindMessageByEcho(startedId, caller.SenderType, caller.Id, echoId));
            }
            var contact = w.GetContact(caller.Id) ?? throw ChatException.NotFound("contact");
            var now = Clock.NowMs();
            var c = new ConversationRow
            {
                Uuid = Guid.NewGuid().ToString(),
                InboxId = contact.InboxId,
                ContactId = contact.Id,
                Status = ConversationStatuses.Open,
                CustomAttributes = JsonText.From(command.CustomAttributes),
                CreatedAt = now,
                LastActivityAt = now,
                ContactPubsubToken = contact.PubsubToken,
            };
            c.Id = w.InsertConversation(c);
            w.AfterCommit(_events.Created(c));
            var m = command.Message is { } message
                ? AppendMessage(w, c, caller, message.Content!, message.EchoId, ContentTypes.Text, null, isPrivate: false)
                : null;
            return (c, m);
        });
        return ToDto(conversation, true, first is null ? [] : [ToDto(first, conversation, true)]);
    }

    public async Task<MessageDto> SendAsync(Caller caller, SendMessageCommand command)
    {
        _sendValidator.ValidateOrThrow(command);
        if (caller.IsContact && command.Private) throw ChatException.Forbidden("only agents write private notes");
        if (caller.IsContact && (command.ContentType ?? ContentTypes.Text) != ContentTypes.Text)
            throw ChatException.Invalid("content_type", "contacts send text messages only");
        var retried = _store.Read(r =>
        {
            var c = ConversationAccess.Authorize(r, caller, command.ConversationId);
            return command.EchoId is { } echo && r.FindMessageByEcho(c.Id, caller.SenderType, caller.Id, echo) is { } original
                ? ToDto(original, c, caller.IsContact) : null;
        });
        if (retried is not null) return retried; // a retry sends nothing new, so it does not count against the rate limit
        _rateLimits.Check(RateLimitedAction.Message, caller.Key);

        var (message, conversation) = await _store.WriteAsync(w =>
        {
            var c = w.GetConversation(command.ConversationId)!;
            if (command.EchoId is { } echoId && w.FindMessageByEcho(c.Id, caller.SenderType, caller.Id, echoId) is { } original)
                return (original, c); // a retry: the original answer, nothing stored, nothing pushed
            if (caller.IsContact && c.Status == ConversationStatuses.Resolved)
            {
                // As in Chatwoot, a customer writing into a resolved conversation reopens it.
                c.Status = ConversationStatuses.Open;
                Bump(c, visibleToContact: true);
                w.UpdateConversation(c);
                w.AfterCommit(_events.Updated(c));
            }
            var m = AppendMessage(w, c, caller, command.Content!, command.EchoId, command.ContentType ?? ContentTypes.Text,
                JsonText.From(command.ContentAttributes), command.Private);
            return (m, c);
        });
        return ToDto(message, conversation, caller.IsContact);
    }

    public (IReadOnlyList<ConversationDto> Page, int Total, int PageNumber) List(Caller caller, ListConversationsQuery query)
    {
        _listValidator.ValidateOrThrow(query);
        var page = query.Page ?? 1;
        var size = _limits.ConversationsPageSize;
        return _store.Read(r =>
        {
            IReadOnlyList<ConversationRow> rows;
            int total;
            if (caller.IsContact)
            {
                var status = query.Status is null or "all" ? null : query.Status;
                var own = r.ListConversationsOfContact(caller.Id).Where(c => status is null || c.Status == status).ToList();
                (rows, total) = (own.Skip((page - 1) * size).Take(size).ToList(), own.Count);
            }
            else
            {
                var inboxIds = r.InboxIdsOfAgent(caller.Id);
                if (query.InboxId is { } inboxId)
                {
                    if (!inboxIds.Contains(inboxId)) throw ChatException.Forbidden("you are not a member of this inbox");
                    inboxIds = [inboxId];
                }
                var wanted = query.Status ?? ConversationStatuses.Open;
                var status = wanted == "all" ? null : wanted;
                var filter = new ConversationFilter(inboxIds, status, query.Assignee == "me" ? caller.Id : null,
                    query.Assignee == "unassigned", (page - 1) * size, size);
                (rows, total) = r.ListConversations(filter);
            }
            var dtos = rows.Select(c => ToDto(c, caller.IsContact, LatestMessages(r, c, caller.IsContact))).ToList();
            return ((IReadOnlyList<ConversationDto>)dtos, total, page);
        });
    }

    public ConversationDto Get(Caller caller, long conversationId) => _store.Read(r =>
    {
        var c = ConversationAccess.Authorize(r, caller, conversationId);
        return ToDto(c, caller.IsContact, LatestMessages(r, c, caller.IsContact));
    });

    public GetMessagesResult GetMessages(Caller caller, GetMessagesQuery query)
    {
        _getMessagesValidator.ValidateOrThrow(query);
        var limit = query.Limit ?? _limits.DefaultPageSize;
        return _store.Read(r =>
        {
            var c = ConversationAccess.Authorize(r, caller, query.ConversationId);
            var rows = r.GetMessages(new MessageQuery(c.Id, query.Before, query.AfterSeq, limit + 1, caller.IsContact));
            var hasMore = rows.Count > limit;
            // After a seq the extra row is the newest; before a cursor (oldest first) it is the oldest.
            var page = !hasMore ? rows : query.AfterSeq is not null ? rows.Take(limit) : rows.Skip(1);
            return new GetMessagesResult { Conversation = ToDto(c, caller.IsContact), Messages = ToDtos(page, c, caller.IsContact), HasMore = hasMore };
        });
    }

    public async Task<ConversationDto> SetStatusAsync(Caller caller, SetStatusCommand command)
    {
        _statusValidator.ValidateOrThrow(command);
        if (caller.IsContact && (command.Status ?? ConversationStatuses.Resolved) != ConversationStatuses.Resolved)
            throw ChatException.Forbidden("contacts may only resolve a conversation");
        _store.Read(r => ConversationAccess.Authorize(r, caller, command.ConversationId));
        _rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);

        var conversation = await _store.WriteAsync(w =>
        {
            var c = w.GetConversation(command.ConversationId)!;
            var target = command.Status ?? (caller.IsContact || c.Status != ConversationStatuses.Resolved
                ? ConversationStatuses.Resolved : ConversationStatuses.Open);
            if (c.Status == target) return c;
            c.Status = target;
            Bump(c, visibleToContact: true);
            w.UpdateConversation(c);
            w.AfterCommit(_events.Updated(c));
            var verb = target switch
            {
                ConversationStatuses.Resolved => "resolved",
                ConversationStatuses.Open => "reopened",
                _ => "marked as pending",
            };
            AppendActivity(w, c, $"Conversation was {verb} by {NameOf(w, caller)}");
            return c;
        });
        return ToDto(conversation, caller.IsContact);
    }

    public async Task<ConversationDto> AssignAsync(Caller caller, AssignCommand command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents assign conversations");
        if (command.AgentId is <= 0) throw ChatException.Invalid("assignee_id", "assignee_id must be an agent id or null");
        _store.Read(r =>
        {
            var c = ConversationAccess.Authorize(r, caller, command.ConversationId);
            if (command.AgentId is { } agentId && !r.IsMember(c.InboxId, agentId))
                throw ChatException.Invalid("assignee_id", "the assignee must be an agent of the conversation's inbox");
            return c;
        });
        _rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);

        var conversation = await _store.WriteAsync(w =>
        {
            var c = w.GetConversation(command.ConversationId)!;
            if (c.AssigneeId == command.AgentId) return c;
            c.AssigneeId = command.AgentId;
            Bump(c, visibleToContact: true);
            w.UpdateConversation(c);
            w.AfterCommit(_events.Updated(c));
            var actor = NameOf(w, caller);
            AppendActivity(w, c, command.AgentId is { } id
                ? $"Assigned to {w.GetAgent(id)?.Name} by {actor}"
                : $"Conversation unassigned by {actor}");
            return c;
        });
        return ToDto(conversation, false);
    }

    public async Task MarkSeenAsync(Caller caller, long conversationId)
    {
        _store.Read(r => ConversationAccess.Authorize(r, caller, conversationId));
        _rateLimits.Check(RateLimitedAction.SeenMarker, caller.Key);
        await _store.WriteAsync(w =>
        {
            var c = w.GetConversation(conversationId)!;
            var now = Clock.NowMs();
            if (caller.IsContact) c.ContactLastSeenAt = now;
            else c.AgentLastSeenAt = now;
            Bump(c, visibleToContact: true);
            w.UpdateConversation(c);
            w.AfterCommit(_events.Updated(c));
            return c;
        });
    }

    public void SetTyping(Caller caller, SetTypingCommand command)
    {
        var (c, name) = _store.Read(r => (ConversationAccess.Authorize(r, caller, command.ConversationId), NameOf(r, caller)));
        _rateLimits.Check(RateLimitedAction.Typing, caller.Key);
        var typing = new TypingEvent
        {
            ConversationId = c.Id,
            Sender = new SenderDto { Id = caller.Id, Name = name, Type = caller.SenderType },
            IsTyping = command.IsTyping,
        };
        _events.Typing(c, typing, caller.IsContact, caller.ConnectionId);
    }

    /// <param name="conversationId">REST names the conversation in the path; the message must belong to it.</param>
    public async Task<MessageDto> SubmitValuesAsync(Caller caller, SubmitValuesCommand command, long? conversationId = null)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts submit values");
        _submitValidator.ValidateOrThrow(command);
        var (target, _) = _store.Read(r => ConversationAccess.AuthorizeMessage(r, caller, command.MessageId));
        if (conversationId is not null && target.ConversationId != conversationId) throw ChatException.NotFound("message");
        if (target.MessageType != MessageTypes.Outgoing || !ContentTypes.Answerable.Contains(target.ContentType))
            throw ChatException.Invalid("message_id", $"a {target.ContentType} message takes no submitted values");
        _rateLimits.Check(RateLimitedAction.Submission, caller.Key);

        var (message, conversation) = await _store.WriteAsync(w =>
        {
            var m = w.GetMessage(command.MessageId)!;
            var c = w.GetConversation(m.ConversationId)!;
            var attributes = (m.ContentAttributes is null ? null : JsonNode.Parse(m.ContentAttributes) as JsonObject) ?? [];
            attributes["submitted_values"] = JsonNode.Parse(command.SubmittedValues!.Value.GetRawText());
            m.ContentAttributes = attributes.ToJsonString();
            Bump(c, visibleToContact: true);
            (m.Seq, m.ContactSeq, m.UpdatedAt) = (c.Seq, c.ContactSeq, Clock.NowMs());
            w.UpdateMessage(m);
            w.UpdateConversation(c);
            w.AfterCommit(_events.MessageUpdated(m, c));
            return (m, c);
        });
        return ToDto(message, conversation, true);
    }

    // ---- inside the writer's transaction

    private MessageRow AppendMessage(IChatWriter w, ConversationRow c, Caller caller, string content, string? echoId,
        string contentType, string? contentAttributes, bool isPrivate)
    {
        var now = Clock.NowMs();
        Bump(c, visibleToContact: !isPrivate);
        // A private note changes nothing a customer can observe: not its seq, not last_activity_at or list order.
        if (!isPrivate) c.LastActivityAt = now;
        var id = w.InsertMessage(new MessageRow
        {
            ConversationId = c.Id,
            Seq = c.Seq,
            ContactSeq = isPrivate ? null : c.ContactSeq,
            MessageType = caller.IsContact ? MessageTypes.Incoming : MessageTypes.Outgoing,
            Content = content,
            ContentType = contentType,
            ContentAttributes = contentAttributes,
            Private = isPrivate,
            EchoId = echoId,
            SenderType = caller.SenderType,
            SenderId = caller.Id,
            CreatedAt = now,
            UpdatedAt = now,
        });
        w.UpdateConversation(c);
        var stored = w.GetMessage(id)!; // with the sender's name
        w.AfterCommit(_events.MessageCreated(stored, c, caller.ConnectionId));
        return stored;
    }

    /// <summary>Chatwoot-style activity line (message_type 2) recording a status or assignee change; for agents only.</summary>
    private void AppendActivity(IChatWriter w, ConversationRow c, string content)
    {
        var now = Clock.NowMs();
        Bump(c, visibleToContact: false);
        var id = w.InsertMessage(new MessageRow
        {
            ConversationId = c.Id,
            Seq = c.Seq,
            ContactSeq = null,
            MessageType = MessageTypes.Activity,
            Content = content,
            CreatedAt = now,
            UpdatedAt = now,
        });
        w.UpdateConversation(c);
        w.AfterCommit(_events.MessageCreated(w.GetMessage(id)!, c, null));
    }

    private static void Bump(ConversationRow c, bool visibleToContact)
    {
        c.Seq++;
        if (visibleToContact) c.ContactSeq++;
    }

    private static string NameOf(IChatReader r, Caller caller) =>
        (caller.IsContact ? r.GetContact(caller.Id)?.Name : r.GetAgent(caller.Id)?.Name) ?? (caller.IsContact ? "the customer" : "an agent");

    private IReadOnlyList<MessageDto> LatestMessages(IChatReader r, ConversationRow c, bool forContact) =>
        ToDtos(r.GetMessages(new MessageQuery(c.Id, null, null, _limits.DefaultPageSize, forContact)), c, forContact);
}
