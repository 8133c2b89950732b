namespace ChatHub.Server.Features.Contacts;

/// <summary>Chatwoot's public contacts API, under /public/api/v1/inboxes/{inbox_identifier}.</summary>
public static class ContactEndpoints
{
    private static readonly ContactFields NoFields = new(null, null, null, null, null, null);

    public static void MapPublicContacts(this RouteGroupBuilder inbox)
    {
        inbox.MapPost("/contacts", (string inbox_identifier, ContactFields? body, ContactService contacts, HttpContext http) =>
            contacts.CreateAsync(inbox_identifier, body ?? NoFields, http.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
        inbox.MapGet("/contacts/{source_id}", (string inbox_identifier, string source_id, ContactService contacts) =>
            contacts.Get(inbox_identifier, source_id));
        inbox.MapPatch("/contacts/{source_id}", (string inbox_identifier, string source_id, ContactFields? body, ContactService contacts) =>
            contacts.UpdateAsync(inbox_identifier, source_id, body ?? NoFields));
    }
}
