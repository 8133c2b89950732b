using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's public contacts API, under /public/api/v1/inboxes/{inbox_identifier}.</summary>
public static class ContactEndpoints
{
    public static void MapPublicContacts(this RouteGroupBuilder inbox)
    {
        inbox.MapPost("/contacts", (string inbox_identifier, ContactFields? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateContact, ContactDto>(Caller.Anonymous,
                new CreateContact(inbox_identifier, body ?? ContactFields.None, ClientAddress.KeyOf(http))));
        inbox.MapGet("/contacts/{source_id}", async (string inbox_identifier, string source_id, ContactCredentials contacts, Dispatcher use) =>
            await use.AskAsync<GetContact, ContactDto>(await contacts.ResolveAsync(inbox_identifier, source_id), new GetContact()));
        inbox.MapPatch("/contacts/{source_id}", async (string inbox_identifier, string source_id, ContactFields? body,
            ContactCredentials contacts, Dispatcher use) =>
            await use.SendAsync<UpdateContact, ContactDto>(await contacts.ResolveAsync(inbox_identifier, source_id),
                new UpdateContact(body ?? ContactFields.None)));
    }
}
