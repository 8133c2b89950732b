using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Assignment;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>The widget's view of an inbox (public: every page that embeds the widget shows its identifier), with
/// whether one of its agents is online now (the header's "We're online": <see cref="AgentPresence"/>, so an agent with
/// no connection open counts as offline whatever they chose), whether it is within its working hours now (is_open), and
/// while someone is online the agent who will most likely answer (<see cref="AgentPrediction"/>: name and avatar only).</summary>
public sealed record GetPublicInbox(string Identifier) : IQuery<InboxDto>;

public sealed class GetPublicInboxHandler(Common.ChatLimits limits, AgentPresence presence) : IQueryHandler<GetPublicInbox, InboxDto>
{
    public async ValueTask<InboxDto> HandleAsync(GetPublicInbox query, QueryContext context)
    {
        var inbox = await ContactCredentials.FindInboxAsync(context.Store, query.Identifier);
        var online = await AgentPresence.InboxOnlineAsync(context.Store, inbox.Id, presence.Connected);
        return InboxMapper.ToPublicDto(inbox) with
        {
            MaxAttachmentBytes = limits.MaxAttachmentBytes, Online = online, IsOpen = WorkingHoursSchedule.IsOpen(inbox, DateTimeOffset.UtcNow),
            PredictedAgent = online ? await AgentPrediction.OfAsync(context.Store, inbox, presence.Connected) : null,
        };
    }
}

/// <summary>Every inbox, with its secrets, for administrators.</summary>
public sealed record ListInboxes : IQuery<IReadOnlyList<InboxAdminDto>>;

public sealed class ListInboxesHandler : IQueryHandler<ListInboxes, IReadOnlyList<InboxAdminDto>>
{
    public void Authorize(Caller caller, ListInboxes query) => InboxRules.RequireAdministrator(caller);

    public async ValueTask<IReadOnlyList<InboxAdminDto>> HandleAsync(ListInboxes query, QueryContext context) =>
        (await context.Store.ListInboxesAsync()).Select(InboxMapper.ToAdminDto).ToList();
}

/// <summary>The demo page opened without ?inbox= uses the first inbox.</summary>
public sealed record GetDemoInbox : IQuery<string>;

public sealed class GetDemoInboxHandler : IQueryHandler<GetDemoInbox, string>
{
    public async ValueTask<string> HandleAsync(GetDemoInbox query, QueryContext context) =>
        (await context.Store.ListInboxesAsync()).FirstOrDefault()?.Identifier ?? throw ChatException.NotFound("inbox");
}
