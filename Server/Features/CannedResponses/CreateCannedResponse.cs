using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.CannedResponses;

/// <summary>An administrator adds a canned response (Chatwoot's <c>canned_responses#create</c>): a short code no other
/// has, at most Limits:MaxCannedResponses in the account.</summary>
public sealed record CreateCannedResponse(string? ShortCode, string? Content) : ICommand<CannedResponseDto>;

public sealed class CreateCannedResponseValidator : AbstractValidator<CreateCannedResponse>
{
    public CreateCannedResponseValidator()
    {
        RuleFor(c => c.ShortCode).NotNull().WithMessage("short_code is required").ShortCode().OverridePropertyName("short_code");
        RuleFor(c => c.Content).NotNull().WithMessage("content is required").Content().OverridePropertyName("content");
    }
}

public sealed class CreateCannedResponseHandler(RateLimits rateLimits, ChatLimits limits) : ICommandHandler<CreateCannedResponse, CannedResponseDto>
{
    public void Authorize(Caller caller, CreateCannedResponse command)
    {
        CannedResponseRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<CannedResponseDto> HandleAsync(CreateCannedResponse command, CommandContext context)
    {
        if (await context.Store.FindCannedResponseByShortCodeAsync(command.ShortCode!) is not null)
            throw ChatException.Invalid("short_code", "short_code has already been taken");
        if ((await context.Store.ListCannedResponsesAsync()).Count >= limits.MaxCannedResponses)
            throw ChatException.Invalid("short_code", $"an account has at most {limits.MaxCannedResponses} canned responses");
        var now = Clock.NowMs();
        var row = new CannedResponseRow { ShortCode = command.ShortCode!, Content = command.Content!, CreatedAt = now, UpdatedAt = now };
        row.Id = await context.Store.InsertCannedResponseAsync(row);
        return CannedResponseMapper.ToDto(row);
    }
}
