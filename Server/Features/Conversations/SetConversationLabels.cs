using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>An agent sets a conversation's labels to exactly these (Chatwoot's <c>conversations/labels#create</c>, its
/// LabelConcern): titles in any case, of which only those of account labels are kept, as Chatwoot keeps them; none
/// clears them. Answers the labels the conversation has then. A change takes a seq, writes an activity line ("Ann
/// added billing") and raises conversation_updated, for the agents only (labels are theirs, never shown to the
/// customer); setting the labels it has changes nothing.</summary>
public sealed record SetConversationLabels(long ConversationId, IReadOnlyList<string?>? Labels) : ICommand<IReadOnlyList<string>>, IConversationCommand;

public sealed class SetConversationLabelsValidator : AbstractValidator<SetConversationLabels>
{
    public SetConversationLabelsValidator(ChatLimits limits)
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.Labels).LabelTitles(limits).OverridePropertyName("labels");
    }
}

public sealed class SetConversationLabelsHandler(RateLimits rateLimits) : ICommandHandler<SetConversationLabels, IReadOnlyList<string>>
{
    public void Authorize(Caller caller, SetConversationLabels command)
    {
        LabelRules.RequireAgent(caller);
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<IReadOnlyList<string>> HandleAsync(SetConversationLabels command, CommandContext context)
    {
        var c = await ConversationAccess.ForUpdateAsync(context.Store, context.Caller, command.ConversationId);
        var known = (await context.Store.ListLabelsAsync()).Select(l => l.Title).ToHashSet(StringComparer.Ordinal);
        var wanted = (command.Labels ?? []).Select(t => LabelRules.Normalize(t!)).Where(known.Contains);
        var labels = ConversationLabels.Format(wanted);
        var before = ConversationLabels.Of(c);
        if (labels == c.Labels) return before;

        c.Labels = labels;
        var after = ConversationLabels.Of(c);
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream, [new ChangedAttribute("label_list", before, after)], visibleToContact: false);
        var who = Authors.Display(await Authors.OfCallerAsync(context.Store, context.Caller));
        var (added, removed) = (after.Except(before).ToList(), before.Except(after).ToList());
        if (added.Count > 0) await ConversationChanges.AppendActivityAsync(context, c, contactStream, $"{who} added {string.Join(", ", added)}");
        if (removed.Count > 0) await ConversationChanges.AppendActivityAsync(context, c, contactStream, $"{who} removed {string.Join(", ", removed)}");
        return after;
    }
}
