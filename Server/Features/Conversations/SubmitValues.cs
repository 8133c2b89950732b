using System.Text.Json;
using System.Text.Json.Nodes;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A contact answers an interactive message (input_select, form, input_email, input_csat); the answer is
/// stored under content_attributes.submitted_values and the message takes the conversation's next seq.</summary>
/// <param name="ConversationId">Set when the caller named the conversation too (REST): the message must be in it.</param>
public sealed record SubmitValues(long MessageId, JsonElement? SubmittedValues, long? ConversationId = null) : ICommand<MessageDto>;

public sealed class SubmitValuesValidator : AbstractValidator<SubmitValues>
{
    public SubmitValuesValidator(ChatLimits limits)
    {
        RuleFor(c => c.MessageId).GreaterThan(0).WithMessage("message_id must be positive").OverridePropertyName("message_id");
        RuleFor(c => c.SubmittedValues)
            .Must(v => v is { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
            .WithMessage("submitted_values must be a JSON object or array")
            .Must(v => JsonText.Size(v) <= limits.MaxAttributesBytes)
            .WithMessage($"submitted_values must be at most {limits.MaxAttributesBytes} bytes")
            .Must(v => JsonText.Depth(v) <= Validation.MaxAttributesDepth)
            .WithMessage($"submitted_values must nest at most {Validation.MaxAttributesDepth} levels")
            .Must(WellFormedText.IsWellFormed)
            .WithMessage("submitted_values must be well-formed Unicode text (no lone surrogate, no NUL character)")
            .OverridePropertyName("submitted_values");
    }
}

public sealed class SubmitValuesHandler(RateLimits rateLimits) : ICommandHandler<SubmitValues, MessageDto>
{
    public void Authorize(Caller caller, SubmitValues command)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts submit values");
        rateLimits.Check(RateLimitedAction.Submission, caller.Key);
    }

    public async ValueTask<MessageDto> HandleAsync(SubmitValues command, CommandContext context)
    {
        var (m, c) = await ConversationAccess.MessageForUpdateAsync(context.Store, context.Caller, command.MessageId);
        await AttachmentFiles.LoadAsync(context.Store, [m]);
        if (command.ConversationId is { } conversationId && m.ConversationId != conversationId) throw ChatException.NotFound("message");
        if (m.MessageType != MessageTypes.Outgoing || !ContentTypes.Answerable.Contains(m.ContentType))
            throw ChatException.Invalid("message_id", $"a {m.ContentType} message takes no submitted values");

        var attributes = (m.ContentAttributes is null ? null : JsonNode.Parse(m.ContentAttributes) as JsonObject) ?? [];
        attributes["submitted_values"] = JsonNode.Parse(command.SubmittedValues!.Value.GetRawText());
        m.ContentAttributes = attributes.ToJsonString();
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        // The conversation keeps the latest rating, for the console's list and header.
        if (m.ContentType == ContentTypes.InputCsat && CsatSurvey.RatingOf(command.SubmittedValues!.Value) is { } rating)
            (c.CsatRating, c.CsatComment, c.CsatAt) = (rating, CsatSurvey.CommentOf(command.SubmittedValues!.Value), Clock.NowMs()); // and for reports
        await context.Store.RecordChangeAsync(c, visibleToContact: true);
        (m.Seq, m.ContactSeq, m.UpdatedAt) = (c.Seq, c.ContactSeq, Clock.NowMs());
        await context.Store.UpdateMessageAsync(m);
        var authors = await Authors.OfMessagesAsync(context.Store, [m]);
        context.Raise(new MessageUpdated(m.Snapshot(), authors.Of(m), c.Snapshot(), contactStream));
        return ConversationMapper.ToDto(m, authors.Of(m), c, true);
    }
}
