using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Attachments;

/// <summary>A contact or an agent uploads a file ahead of the message that sends it (the hub's flow: upload over
/// HTTP, then SendMessage with its id). The upload stays pending, usable by its uploader only, once.</summary>
public sealed record UploadAttachment(NewFile? File) : ICommand<AttachmentDto>;

public sealed class UploadAttachmentValidator : AbstractValidator<UploadAttachment>
{
    public UploadAttachmentValidator()
    {
        RuleFor(c => c.File).NotNull().WithMessage("attach a file").OverridePropertyName("file");
        RuleFor(c => c.File!.Length).GreaterThan(0L).WithMessage("the file is empty").When(c => c.File is not null).OverridePropertyName("file");
    }
}

public sealed class UploadAttachmentHandler(ChatLimits limits) : ICommandHandler<UploadAttachment, AttachmentDto>
{
    public void Authorize(Caller caller, UploadAttachment command)
    {
        if (!caller.IsContact && !caller.IsAgent) throw ChatException.Forbidden("only contacts and agents upload files");
        AttachmentFiles.CheckSize(command.File!, limits);
    }

    public async ValueTask<AttachmentDto> HandleAsync(UploadAttachment command, CommandContext context) =>
        AttachmentFiles.ToDto(await AttachmentFiles.StoreAsync(context, command.File!, limits));
}
