using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Features.Visitors;

/// <summary>After an agent's chat with a visitor committed (<see cref="VisitorInvited"/>), puts it on the visitor's
/// board, where the widget's next report finds it (<see cref="TrackVisit"/>); the agent is answered once it is there.</summary>
public sealed class VisitorInvitationSink(IVisitorBoard board, ILogger<VisitorInvitationSink> logger) : IEventSink
{
    public void Publish(ChatEvent change) { }

    public async Task SettleAsync(ChatEvent change)
    {
        if (change is not VisitorInvited e) return;
        try
        {
            await board.SetInvitationAsync(e.InboxId, e.VisitorId, new VisitorInvitation(e.ContactId, e.ConversationId));
        }
        catch (Exception ex)
        {
            // The conversation exists either way: the agent sees it, and the visitor sees it if they write.
            logger.LogWarning(ex, "Could not record conversation {ConversationId} for visitor {VisitorId}", e.ConversationId, e.VisitorId);
        }
    }
}
