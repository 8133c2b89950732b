using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Labels;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's labels and the conversation fields agents keep for themselves, on the application API: account
/// labels (<c>labels_controller.rb</c>: <c>{payload: [label]}</c> for the list, the label itself otherwise), a
/// conversation's labels (<c>conversations/labels_controller.rb</c>: <c>{payload: [title]}</c>) and its priority
/// (<c>toggle_priority</c>, answered with 200 and no body, as Chatwoot's <c>head :ok</c>).</summary>
public static class LabelEndpoints
{
    public sealed record LabelFields(string? Title, string? Description, string? Color, bool? ShowOnSidebar);

    /// <summary>Flat, or nested under <c>label</c> as Rails takes it (<c>params.require(:label)</c>).</summary>
    public sealed record LabelBody(string? Title, string? Description, string? Color, bool? ShowOnSidebar, LabelFields? Label)
    {
        public LabelFields Fields => Label ?? new LabelFields(Title, Description, Color, ShowOnSidebar);
    }

    public sealed record ConversationLabelsBody(List<string?>? Labels);
    public sealed record PriorityBody(string? Priority);
    /// <summary>toggle_status on the application API: Chatwoot's status and snoozed_until (Unix seconds).</summary>
    public sealed record SnoozableStatusBody(string? Status, long? SnoozedUntil);

    public static void MapLabels(this RouteGroupBuilder account)
    {
        var labels = account.MapGroup("/labels");
        labels.MapGet("", async (HttpContext http, Dispatcher use) =>
            new { payload = await use.AskAsync<ListLabels, IReadOnlyList<LabelDto>>(http.Agent(), new ListLabels()) });
        labels.MapPost("", async (LabelBody? body, HttpContext http, Dispatcher use) =>
        {
            var f = body?.Fields;
            return await use.SendAsync<CreateLabel, LabelDto>(http.Agent(), new CreateLabel(f?.Title, f?.Description, f?.Color, f?.ShowOnSidebar));
        });
        labels.MapMethods("/{id:long}", ["PATCH", "PUT"], async (long id, LabelBody? body, HttpContext http, Dispatcher use) =>
        {
            var f = body?.Fields;
            return await use.SendAsync<UpdateLabel, LabelDto>(http.Agent(), new UpdateLabel(id, f?.Title, f?.Description, f?.Color, f?.ShowOnSidebar));
        });
        labels.MapDelete("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<DeleteLabel, Done>(http.Agent(), new DeleteLabel(id));
            return Results.Ok();
        });
    }

    /// <summary>Under <c>/conversations/{id}</c>.</summary>
    public static void MapConversationLabels(this RouteGroupBuilder conversation)
    {
        conversation.MapGet("/labels", async (long id, HttpContext http, Dispatcher use) =>
            new { payload = await use.AskAsync<GetConversationLabels, IReadOnlyList<string>>(http.Agent(), new GetConversationLabels(id)) });
        conversation.MapPost("/labels", async (long id, ConversationLabelsBody? body, HttpContext http, Dispatcher use) =>
            new { payload = await use.SendAsync<SetConversationLabels, IReadOnlyList<string>>(http.Agent(), new SetConversationLabels(id, body?.Labels)) });
        conversation.MapPost("/toggle_priority", async (long id, PriorityBody? body, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<SetPriority, ConversationDto>(http.Agent(), new SetPriority(id, body?.Priority));
            return Results.Ok();
        });
    }
}
