using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Contacts;

public static class ContactMapper
{
    /// <summary>The contact as its owner sees it (with its pubsub token).</summary>
    public static ContactDto ToDto(ContactRow c) => new()
    {
        Id = c.Id,
        SourceId = c.SourceId,
        PubsubToken = c.PubsubToken,
        Name = c.Name,
        Email = c.Email,
        PhoneNumber = c.PhoneNumber,
        Identifier = c.Identifier,
        CustomAttributes = JsonText.ToDictionary(c.CustomAttributes),
        HmacVerified = c.HmacVerified,
        AvatarUrl = c.AvatarUrl,
        CreatedAt = Clock.ToSeconds(c.CreatedAt),
    };

    /// <summary>The contact as agents see it: never its credentials (source_id is the client API's key to the
    /// contact, pubsub_token its realtime token). Agents know a contact by its id.</summary>
    public static ContactDto ToAgentDto(ContactRow c) => ToDto(c) with { SourceId = "", PubsubToken = "" };
}
