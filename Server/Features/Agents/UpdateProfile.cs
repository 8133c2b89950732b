using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Agents;

/// <summary>An agent edits its own profile (Chatwoot's <c>PATCH /api/v1/profile</c>): its name, the display name
/// customers see (empty: its name is shown), and its avatar: a PNG, JPEG, GIF or WebP image of at most
/// Accounts:MaxAvatarBytes, told by its bytes (never by its name or type), or removed. What is not given stays.</summary>
public sealed record UpdateProfile(string? Name, string? DisplayName, byte[]? Avatar, bool RemoveAvatar) : ICommand<AgentDto>;

public sealed class UpdateProfileValidator : AbstractValidator<UpdateProfile>
{
    public UpdateProfileValidator(IOptions<AccountOptions> options)
    {
        RuleFor(c => c.Name).NotEmpty().When(c => c.Name is not null).WithMessage("name must not be empty")
            .MaximumLength(255).WellFormed().OverridePropertyName("name");
        RuleFor(c => c.DisplayName).MaximumLength(255).WellFormed().OverridePropertyName("display_name");
        RuleFor(c => c.Avatar).Must(a => a is null || a.Length <= options.Value.MaxAvatarBytes)
            .WithMessage($"the avatar must be at most {options.Value.MaxAvatarBytes} bytes").OverridePropertyName("avatar");
        RuleFor(c => c.Avatar).Must(a => a is null || FileKinds.Of(a).ContentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp")
            .WithMessage("the avatar must be a PNG, JPEG, GIF or WebP image").OverridePropertyName("avatar");
    }
}

public sealed class UpdateProfileHandler(RateLimits rateLimits, AgentPresence presence) : ICommandHandler<UpdateProfile, AgentDto>
{
    public void Authorize(Caller caller, UpdateProfile command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<AgentDto> HandleAsync(UpdateProfile command, CommandContext context)
    {
        var id = context.Caller.Id;
        var agent = await context.Store.GetAgentAsync(id) ?? throw ChatException.NotFound("agent");
        if (command.Name is not null || command.DisplayName is not null)
        {
            agent.Name = command.Name?.Trim() ?? agent.Name;
            if (command.DisplayName is not null) agent.DisplayName = command.DisplayName.Trim() is { Length: > 0 } shown ? shown : null;
            await context.Store.SetAgentNamesAsync(id, agent.Name, agent.DisplayName);
        }
        if (command.Avatar is { } bytes)
        {
            var avatar = new AgentAvatarRow
            {
                Token = Tokens.NewAttachmentToken(), ContentType = FileKinds.Of(bytes).ContentType, Data = Convert.ToBase64String(bytes), CreatedAt = Clock.NowMs(),
            };
            await context.Store.SetAgentAvatarAsync(id, avatar);
            agent.AvatarToken = avatar.Token;
        }
        else if (command.RemoveAvatar && agent.AvatarToken is not null)
        {
            await context.Store.SetAgentAvatarAsync(id, null);
            agent.AvatarToken = null;
        }
        return AgentMapper.ToDto(agent, presence.Connected) with { PubsubToken = agent.PubsubToken };
    }
}
