using System.Text.Json;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Campaigns;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's campaigns on the application API (<c>campaigns_controller.rb</c>, issue 27): the list is a bare
/// array, a write answers the record itself, a delete 200 with no body (<c>head :ok</c>); and the widget's read of its
/// inbox's enabled campaigns under the public inbox.</summary>
public static class CampaignEndpoints
{
    public sealed record TriggerRulesBody(JsonElement Url, JsonElement TimeOnPage);

    /// <summary>A campaign's fields; sender_id is kept raw so that an explicit null (the inbox sends it) differs from
    /// leaving it out.</summary>
    public sealed record CampaignFields(
        string? Title, string? Description, string? Message, long? InboxId, JsonElement SenderId, bool? Enabled, TriggerRulesBody? TriggerRules,
        bool? TriggerOnlyDuringBusinessHours)
    {
        public long? Sender => SenderId.ValueKind == JsonValueKind.Number && SenderId.TryGetInt64(out var id) ? id
            : SenderId.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null
            : throw ChatException.Invalid("sender_id", "sender_id must be an agent's id or null");
        public bool ClearSender => SenderId.ValueKind == JsonValueKind.Null;
        public string? Url => TriggerRules?.Url.ValueKind switch
        {
            null or JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => TriggerRules.Url.GetString(),
            _ => throw ChatException.Invalid("trigger_rules", "trigger_rules.url must be a string"),
        };
        /// <summary>A number, or a string of digits as Chatwoot's dashboard form may send it.</summary>
        public int? TimeOnPage => TriggerRules?.TimeOnPage.ValueKind switch
        {
            null or JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.Number when TriggerRules.TimeOnPage.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(TriggerRules.TimeOnPage.GetString(), out var n) => n,
            _ => throw ChatException.Invalid("trigger_rules", "trigger_rules.time_on_page must be a whole number of seconds"),
        };
    }

    /// <summary>Flat, or nested under <c>campaign</c> as Rails takes it (<c>params.require(:campaign)</c>).</summary>
    public sealed record CampaignBody(
        string? Title, string? Description, string? Message, long? InboxId, JsonElement SenderId, bool? Enabled, TriggerRulesBody? TriggerRules,
        bool? TriggerOnlyDuringBusinessHours, CampaignFields? Campaign)
    {
        public CampaignFields Fields => Campaign ?? new CampaignFields(Title, Description, Message, InboxId, SenderId, Enabled, TriggerRules,
            TriggerOnlyDuringBusinessHours);
    }

    public static void MapCampaigns(this RouteGroupBuilder account)
    {
        var campaigns = account.MapGroup("/campaigns");
        campaigns.MapGet("", (HttpContext http, Dispatcher use) =>
            use.AskAsync<ListCampaigns, IReadOnlyList<CampaignDto>>(http.Agent(), new ListCampaigns()));
        campaigns.MapGet("/{id:long}", (long id, HttpContext http, Dispatcher use) =>
            use.AskAsync<GetCampaign, CampaignDto>(http.Agent(), new GetCampaign(id)));
        campaigns.MapPost("", (CampaignBody? body, HttpContext http, Dispatcher use) =>
        {
            var f = body?.Fields ?? Empty;
            return use.SendAsync<CreateCampaign, CampaignDto>(http.Agent(), new CreateCampaign(f.Title, f.Description, f.Message, f.InboxId,
                f.Sender, f.Enabled, f.Url, f.TimeOnPage, f.TriggerOnlyDuringBusinessHours));
        });
        campaigns.MapMethods("/{id:long}", ["PATCH", "PUT"], (long id, CampaignBody? body, HttpContext http, Dispatcher use) =>
        {
            var f = body?.Fields ?? Empty;
            return use.SendAsync<UpdateCampaign, CampaignDto>(http.Agent(), new UpdateCampaign(id, f.Title, f.Description, f.Message, f.InboxId,
                f.Sender, f.ClearSender, f.Enabled, f.Url, f.TimeOnPage, f.TriggerOnlyDuringBusinessHours));
        });
        campaigns.MapDelete("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<DeleteCampaign, Done>(http.Agent(), new DeleteCampaign(id));
            return Results.Ok();
        });
    }

    private static readonly CampaignFields Empty = new(null, null, null, null, default, null, null, null);

    /// <summary>Under /public/api/v1/inboxes/{inbox_identifier}: the widget's campaigns.</summary>
    public static void MapPublicCampaigns(this RouteGroupBuilder inbox) =>
        inbox.MapGet("/campaigns", (string inbox_identifier, Dispatcher use) =>
            use.AskAsync<ListInboxCampaigns, IReadOnlyList<PublicCampaignDto>>(Caller.Anonymous, new ListInboxCampaigns(inbox_identifier)));
}
