using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.CannedResponses;

/// <summary>An administrator changes a canned response (Chatwoot's <c>canned_responses#update</c>; what is left out
/// stays).</summary>
public sealed record UpdateCannedResponse(long Id, string? ShortCode, string? Content) : ICommand<CannedResponseDto>;

public sealed class UpdateCannedResponseValidator : AbstractValidator<UpdateCannedResponse>
{
    public UpdateCannedResponseValidator()
    {
        RuleFor(c => c.ShortCode).ShortCode().OverridePropertyName("short_code");
        RuleFor(c => c.Content).Content().OverridePropertyName("content");
    }
}

public sealed class UpdateCannedResponseHandler(RateLimits rateLimits) : ICommandHandler<UpdateCannedResponse, CannedResponseDto>
{
    public void Authorize(Caller caller, UpdateCannedResponse command)
    {
        CannedResponseRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<CannedResponseDto> HandleAsync(UpdateCannedResponse command, CommandContext context)
    {
        var row = await context.Store.GetCannedResponseAsync(command.Id) ?? throw ChatException.NotFound("canned response");
        if (command.ShortCode is { } shortCode && shortCode != row.ShortCode)
        {
            if (await context.Store.FindCannedResponseByShortCodeAsync(shortCode) is not null)
                throw ChatException.Invalid("short_code", "short_code has already been taken");
            row.ShortCode = shortCode;
        }
        if (command.Content is not null) row.Content = command.Content;
        row.UpdatedAt = Clock.NowMs();
        await context.Store.UpdateCannedResponseAsync(row);
        return CannedResponseMapper.ToDto(row);
    }
}
