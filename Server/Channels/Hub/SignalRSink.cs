using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;

namespace ChatHub.Server.Channels.Hub;

/// <summary>Turns events into IChatClient pushes: the contact's group gets the contact's view (its own seq
/// stream), the inbox's group the agents' view. Who may see what comes from <see cref="Visibility"/>; this sink
/// only maps shapes and addresses groups.</summary>
public sealed class SignalRSink(EventPublisher publisher) : IEventSink
{
    public void Publish(ChatEvent change)
    {
        switch (change)
        {
            case ConversationEvent e:
                PublishConversationEvent(e);
                break;
            case ContactUpdated e:
                var (forOwner, forAgents) = (ContactMapper.ToDto(e.Contact), ContactMapper.ToAgentDto(e.Contact));
                publisher.Publish(new Audience(e.Contact.PubsubToken, e.Contact.InboxId), x => x.ContactUpdated(forOwner), x => x.ContactUpdated(forAgents));
                break;
            case PresenceChanged e when Visibility.AgentsSeePresence(e):
                var presence = new PresenceEvent { AgentId = e.AgentId, Availability = e.Availability, ChosenAvailability = e.ChosenAvailability };
                publisher.PublishToGroup(Groups.Agents, x => x.PresenceChanged(presence));
                break;
            case SneakPeekChanged e when Visibility.AgentsSeeSneakPeek(e):
                var peek = new SneakPeekEvent { ConversationId = e.Conversation.Id, Text = e.Text };
                publisher.Publish(new Audience(null, e.Conversation.InboxId), null, x => x.SneakPeek(peek));
                break;
            case InboxAvailabilityChanged e when Visibility.ContactsOfInboxSee(e):
                var availability = new InboxAvailabilityEvent { InboxId = e.InboxId, Online = e.Online };
                publisher.PublishToGroup(Groups.InboxContacts(e.InboxId), x => x.InboxAvailabilityChanged(availability));
                break;
            case Features.Visitors.VisitorChanged e when Visibility.AgentsOfInboxSeeVisitors(e):
                publisher.Publish(new Audience(null, e.Visitor.InboxId), null, x => x.VisitorChanged(e.Visitor));
                break;
            // Membership and credential changes: AccessSink (the connections' streams), before the administrator is answered.
            // The agents' consoles are told too, so that a new member's list shows the inbox at once (it reads the store,
            // which has the membership already).
            case InboxMembersAdded e:
                PublishMembers(new InboxMembersEvent { InboxId = e.InboxId, AgentIds = e.AgentIds, Added = true });
                break;
            case InboxMembersRemoved e:
                PublishMembers(new InboxMembersEvent { InboxId = e.InboxId, AgentIds = e.AgentIds, Added = false });
                break;
        }
    }

    private void PublishMembers(InboxMembersEvent change) => publisher.PublishToGroup(Groups.Agents, x => x.InboxMembersChanged(change));

    private void PublishConversationEvent(ConversationEvent e)
    {
        var audience = new Audience(Visibility.ContactSees(e) ? e.ContactPubsubToken : null, e.Conversation.InboxId, Visibility.ExceptConnection(e));
        var c = e.Conversation;
        switch (e)
        {
            case ConversationCreated:
                Push(audience, ConversationMapper.ToDto(c, true), ConversationMapper.ToDto(c, false), (x, dto) => x.ConversationCreated(dto));
                break;
            case ConversationUpdated:
                Push(audience, ConversationMapper.ToDto(c, true), ConversationMapper.ToDto(c, false), (x, dto) => x.ConversationUpdated(dto));
                break;
            case MessageCreated m:
                Push(audience, ConversationMapper.ToDto(m.Message, m.Sender, c, true), ConversationMapper.ToDto(m.Message, m.Sender, c, false),
                    (x, dto) => x.MessageCreated(dto));
                break;
            case MessageUpdated m:
                Push(audience, ConversationMapper.ToDto(m.Message, m.Sender, c, true), ConversationMapper.ToDto(m.Message, m.Sender, c, false),
                    (x, dto) => x.MessageUpdated(dto));
                break;
            case TypingChanged t:
                var typing = new TypingEvent
                {
                    ConversationId = c.Id,
                    Sender = new SenderDto { Id = t.Typist.Id, Name = t.Typist.Name, Type = t.Typist.Type },
                    IsTyping = t.IsTyping,
                };
                Push(audience, typing, typing, (x, dto) => x.Typing(dto));
                break;
        }
    }

    private void Push<T>(Audience audience, T forContact, T forAgents, Func<IChatClient, T, Task> send) =>
        publisher.Publish(audience, audience.ContactGroup is null ? null : x => send(x, forContact), x => send(x, forAgents));
}
