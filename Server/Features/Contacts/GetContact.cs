using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A contact reads itself (with its pubsub token: the caller is that contact).</summary>
public sealed record GetContact : IQuery<ContactDto>;

public sealed class GetContactHandler : IQueryHandler<GetContact, ContactDto>
{
    public async ValueTask<ContactDto> HandleAsync(GetContact query, QueryContext context)
    {
        if (!context.Caller.IsContact) throw ChatException.Forbidden("only a contact reads itself here");
        return ContactMapper.ToDto(await context.Store.GetContactAsync(context.Caller.Id) ?? throw ChatException.NotFound("contact"));
    }
}
