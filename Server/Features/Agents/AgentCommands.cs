using ChatHub.Contracts;
using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Agents;

public sealed record CreateAgentCommand(string? Name, string? Email, string? Role);

public sealed class CreateAgentValidator : AbstractValidator<CreateAgentCommand>
{
    public CreateAgentValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(255).WellFormed().OverridePropertyName("name");
        RuleFor(c => c.Email).NotEmpty().MaximumLength(320).EmailAddress().WellFormed().OverridePropertyName("email");
        RuleFor(c => c.Role).Must(r => r is null or AgentRoles.Agent or AgentRoles.Administrator)
            .WithMessage("role must be agent or administrator").OverridePropertyName("role");
    }
}
