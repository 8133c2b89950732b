using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A contact opens a conversation, optionally with its first message. Retried with the same first-message
/// echoId, it returns the conversation it created instead of a second one. With a campaign (issue 27), the conversation
/// opens with the campaign's message (CampaignMessage).</summary>
public sealed record StartConversation(Dictionary<string, JsonElement>? CustomAttributes, NewMessage? Message, long? CampaignId = null)
    : ICommand<ConversationDto>;

public sealed class StartConversationValidator : AbstractValidator<StartConversation>
{
    public StartConversationValidator(ChatLimits limits)
    {
        RuleFor(c => c.CustomAttributes).AttributesWithin(limits.MaxAttributesBytes).OverridePropertyName("custom_attributes");
        When(c => c.Message is not null, () =>
        {
            RuleFor(c => c.Message!.Content).MessageContent(limits).OverridePropertyName("content");
            RuleFor(c => c.Message!.EchoId).EchoId().OverridePropertyName("echo_id");
        });
    }
}

public sealed class StartConversationHandler(Assignment.AutoAssignment autoAssignment) : ICommandHandler<StartConversation, ConversationDto>
{
    public void Authorize(Caller caller, StartConversation command)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts start conversations");
    }

    public async ValueTask<ConversationDto> HandleAsync(StartConversation command, CommandContext context)
    {
        var store = context.Store;
        var caller = context.Caller;
        // Held first, so that concurrent retries of this start see each other's conversation; the search for a retry's
        // started right behind it (one round trip on a server database).
        var held = store.GetContactForUpdateAsync(caller.Id);
        var echoId = command.Message?.EchoId;
        var retried = echoId is null ? ValueTask.FromResult<long?>(null) : store.FindConversationStartedWithAsync(caller.Id, echoId);
        var contact = await held ?? throw ChatException.NotFound("contact");
        if (await retried is { } startedId && echoId is not null)
        {
            // A retry: what the first call answered; it sends nothing new, so it does not count against the rate limit.
            var started = (await store.GetConversationAsync(startedId))!;
            var first = await store.FindMessageByEchoAsync(startedId, caller.SenderType, caller.Id, echoId);
            var author = await Authors.OfCallerAsync(store, caller);
            return await ConversationChanges.AnswerAsync(store, started, true, first is null ? [] : [ConversationMapper.ToDto(first, author, started, true)]);
        }
        context.Limit(RateLimitedAction.ConversationStart);
        if (command.Message is not null) context.Limit(RateLimitedAction.Message);

        // The inbox's pre-chat form, when on: its required fields answered (PreChatAnswers).
        PreChatAnswers.Check((await store.GetInboxAsync(contact.InboxId))!, contact, command.CustomAttributes);
        var campaign = command.CampaignId is { } campaignId ? await Campaigns.CampaignMessage.ForStartAsync(store, campaignId, contact.InboxId) : null;
        var c = await ConversationChanges.CreateAsync(context, contact, command.CustomAttributes, autoAssignment);
        List<MessageDto> messages = campaign is null ? [] : [await Campaigns.CampaignMessage.AppendAsync(context, c, contact.PubsubToken, campaign)];
        if (command.Message is not { } message) return ConversationMapper.ToDto(c, true, messages, contact);

        var sender = Authors.Of(contact, contact.Id);
        var m = await ConversationChanges.AppendMessageAsync(context, c, contact.PubsubToken, sender, message.Content!, message.EchoId,
            ContentTypes.Text, null, isPrivate: false);
        messages.Add(ConversationMapper.ToDto(m, sender, c, true));
        return ConversationMapper.ToDto(c, true, messages, contact);
    }
}
