using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>A conversation a visitor starts by answering a campaign's bubble opens with the campaign's message, in the
/// same transaction as the conversation: an outgoing message from the campaign's sender agent, or from the inbox (no
/// sender) when it names none or its agent is gone. The widget names the campaign by id only, so a customer cannot put
/// words in an agent's mouth: the text is the stored campaign's.</summary>
public static class CampaignMessage
{
    /// <summary>The campaign a start names, when it may start a conversation of <paramref name="inboxId"/>: enabled, of
    /// that inbox (else the start is invalid).</summary>
    public static async ValueTask<CampaignRow> ForStartAsync(IStoreReader store, long campaignId, long inboxId)
    {
        var campaign = await store.GetCampaignAsync(campaignId);
        return campaign is { Enabled: true } && campaign.InboxId == inboxId
            ? campaign
            : throw ChatException.Invalid("campaign_id", "campaign_id names no enabled campaign of this inbox");
    }

    public static async ValueTask<MessageDto> AppendAsync(CommandContext context, ConversationRow c, string contactStream, CampaignRow campaign)
    {
        var agent = campaign.SenderId is { } senderId ? await context.Store.GetAgentAsync(senderId) : null;
        var author = agent is null ? null : Authors.Of(agent, agent.Id);
        var now = Clock.NowMs();
        c.LastActivityAt = now;
        var message = new MessageRow
        {
            ConversationId = c.Id, MessageType = MessageTypes.Outgoing, Content = campaign.Message, ContentType = ContentTypes.Text,
            ContentAttributes = $$"""{"campaign_id":{{campaign.Id}}}""", SenderType = author?.Type, SenderId = author?.Id, CreatedAt = now, UpdatedAt = now,
        };
        await context.Store.AppendMessageAsync(c, message, visibleToContact: true);
        // The starting caller has it in its answer; everyone else (the agents, the contact's other tabs) by push.
        context.Raise(new MessageCreated(message.Snapshot(), author, c.Snapshot(), contactStream, context.Caller.ConnectionId));
        return ConversationMapper.ToDto(message, author, c, true);
    }
}
