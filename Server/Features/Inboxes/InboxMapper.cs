using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Inboxes;

public static class InboxMapper
{
    public static InboxDto ToPublicDto(InboxRow i) => new()
    {
        Identifier = i.Identifier,
        Name = i.Name,
        Timezone = i.Timezone,
        WorkingHoursEnabled = i.WorkingHoursEnabled,
        WorkingHours = WorkingHours(i),
        IdentityValidationEnabled = i.HmacMandatory,
        GreetingEnabled = i.GreetingEnabled,
        GreetingMessage = i.GreetingMessage,
        CsatSurveyEnabled = i.CsatSurveyEnabled,
        ReplyTime = i.ReplyTime,
        OutOfOfficeMessage = i.OutOfOfficeMessage,
        SneakPeekEnabled = i.SneakPeekEnabled,
        PreChatFormEnabled = i.PreChatFormEnabled,
        PreChatFormOptions = PreChatForm.Read(i),
    };

    public static InboxAdminDto ToAdminDto(InboxRow i) => new()
    {
        Id = i.Id,
        Identifier = i.Identifier,
        Name = i.Name,
        Timezone = i.Timezone,
        WorkingHoursEnabled = i.WorkingHoursEnabled,
        WorkingHours = WorkingHours(i),
        IdentityValidationEnabled = i.HmacMandatory,
        GreetingEnabled = i.GreetingEnabled,
        GreetingMessage = i.GreetingMessage,
        CsatSurveyEnabled = i.CsatSurveyEnabled,
        ReplyTime = i.ReplyTime,
        OutOfOfficeMessage = i.OutOfOfficeMessage,
        PreChatFormEnabled = i.PreChatFormEnabled,
        PreChatFormOptions = PreChatForm.Read(i),
        HmacToken = i.HmacToken,
        HmacMandatory = i.HmacMandatory,
        EnableAutoAssignment = i.EnableAutoAssignment,
        AutoAssignmentConfig = new AutoAssignmentConfigDto { MaxAssignmentLimit = i.MaxAssignmentLimit },
        SneakPeekEnabled = i.SneakPeekEnabled,
    };

    public static IReadOnlyList<WorkingHourDto> WorkingHours(InboxRow i) =>
        i.WorkingHours is null ? [] : JsonSerializer.Deserialize<List<WorkingHourDto>>(i.WorkingHours) ?? [];
}
