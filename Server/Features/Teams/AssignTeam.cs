using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Teams;

/// <summary>An agent assigns a conversation to a team, or clears its team (null): Chatwoot's
/// <c>POST .../assignments {team_id}</c>. Like Chatwoot, a team assignment keeps the assignee when the assignee is a
/// member of the team and clears it otherwise (the team picks who takes it).</summary>
public sealed record AssignTeam(long ConversationId, long? TeamId) : ICommand<ConversationDto>, IConversationCommand;

public sealed class AssignTeamValidator : AbstractValidator<AssignTeam>
{
    public AssignTeamValidator()
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.TeamId).Must(id => id is null or > 0).WithMessage("team_id must be a team id or null").OverridePropertyName("team_id");
    }
}

public sealed class AssignTeamHandler(RateLimits rateLimits) : ICommandHandler<AssignTeam, ConversationDto>
{
    public void Authorize(Caller caller, AssignTeam command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents assign conversations");
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<ConversationDto> HandleAsync(AssignTeam command, CommandContext context)
    {
        var store = context.Store;
        var c = await ConversationAccess.ForUpdateAsync(store, context.Caller, command.ConversationId);
        var team = command.TeamId is { } teamId ? await store.GetTeamAsync(teamId) ?? throw ChatException.Invalid("team_id", "no such team") : null;
        if (c.TeamId == command.TeamId) return await ConversationChanges.AnswerAsync(store, c, false);

        var (previousTeam, previousAssignee) = (c.TeamId, c.AssigneeId);
        c.TeamId = command.TeamId;
        if (team is not null && c.AssigneeId is { } assigneeId && !(await store.TeamMembersOfAsync(team.Id)).Contains(assigneeId)) c.AssigneeId = null;
        List<ChangedAttribute> changes = [new("team_id", previousTeam, c.TeamId)];
        if (c.AssigneeId != previousAssignee) changes.Add(new("assignee_id", previousAssignee, c.AssigneeId));
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream, changes);
        var actor = Authors.Display(await Authors.OfCallerAsync(store, context.Caller));
        await ConversationChanges.AppendActivityAsync(context, c, contactStream, team is not null
            ? $"Assigned to {team.Name} team by {actor}"
            : $"Unassigned from team by {actor}");
        return await ConversationChanges.AnswerAsync(store, c, false);
    }
}
