using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.CannedResponses;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's canned responses on the application API (<c>canned_responses_controller.rb</c>): the list is a
/// bare array (<c>render json: canned_responses</c>, filtered by <c>?search=</c>), a write answers the record itself, a
/// delete 200 with no body (<c>head :ok</c>).</summary>
public static class CannedResponseEndpoints
{
    public sealed record CannedResponseFields(string? ShortCode, string? Content);

    /// <summary>Flat, or nested under <c>canned_response</c> as Rails takes it (<c>params.require(:canned_response)</c>).</summary>
    public sealed record CannedResponseBody(string? ShortCode, string? Content, CannedResponseFields? CannedResponse)
    {
        public CannedResponseFields Fields => CannedResponse ?? new CannedResponseFields(ShortCode, Content);
    }

    public static void MapCannedResponses(this RouteGroupBuilder account)
    {
        var canned = account.MapGroup("/canned_responses");
        canned.MapGet("", (string? search, HttpContext http, Dispatcher use) =>
            use.AskAsync<ListCannedResponses, IReadOnlyList<CannedResponseDto>>(http.Agent(), new ListCannedResponses(search)));
        canned.MapPost("", (CannedResponseBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateCannedResponse, CannedResponseDto>(http.Agent(), new CreateCannedResponse(body?.Fields.ShortCode, body?.Fields.Content)));
        canned.MapMethods("/{id:long}", ["PATCH", "PUT"], (long id, CannedResponseBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<UpdateCannedResponse, CannedResponseDto>(http.Agent(), new UpdateCannedResponse(id, body?.Fields.ShortCode, body?.Fields.Content)));
        canned.MapDelete("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<DeleteCannedResponse, Done>(http.Agent(), new DeleteCannedResponse(id));
            return Results.Ok();
        });
    }
}
