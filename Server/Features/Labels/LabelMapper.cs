using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Labels;

/// <summary>An account label as Chatwoot shows it (<c>app/views/api/v1/accounts/labels/*.json.jbuilder</c>).</summary>
public sealed record LabelDto(long Id, string Title, string? Description, string Color, bool ShowOnSidebar);

public static class LabelMapper
{
    public static LabelDto ToDto(LabelRow l) => new(l.Id, l.Title, l.Description, l.Color, l.ShowOnSidebar);
}
