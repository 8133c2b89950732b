using ChatHub.Server.Chatwoot;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.CannedResponses;

/// <summary>A canned response as Chatwoot renders its model (<c>render json: @canned_response</c>): its columns, the
/// account's id and Rails' ISO 8601 times.</summary>
public sealed record CannedResponseDto(long Id, long AccountId, string ShortCode, string Content, string CreatedAt, string UpdatedAt);

public static class CannedResponseMapper
{
    public static CannedResponseDto ToDto(CannedResponseRow c) =>
        new(c.Id, ChatwootAccount.Id, c.ShortCode, c.Content, ChatwootJson.Time(c.CreatedAt / 1000), ChatwootJson.Time(c.UpdatedAt / 1000));
}
