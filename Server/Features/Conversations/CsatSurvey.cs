using System.Text.Json;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Chatwoot's customer satisfaction survey: the question sent on resolution, and the rating read from the
/// customer's answer ({csat_survey_response: {rating, feedback_message}}).</summary>
public static class CsatSurvey
{
    public const string Question = "Please rate the conversation";

    /// <summary>The rating (1 to 5) in an answer, or null when it holds none.</summary>
    public static int? RatingOf(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object) return null;
        var response = answer.TryGetProperty("csat_survey_response", out var inner) ? inner : answer;
        return response.ValueKind == JsonValueKind.Object && response.TryGetProperty("rating", out var rating)
            && rating.ValueKind == JsonValueKind.Number && rating.TryGetInt32(out var value) && value is >= 1 and <= 5 ? value : null;
    }

    /// <summary>The comment (feedback_message) in an answer, trimmed; null when it holds none.</summary>
    public static string? CommentOf(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object) return null;
        var response = answer.TryGetProperty("csat_survey_response", out var inner) ? inner : answer;
        return response.ValueKind == JsonValueKind.Object && response.TryGetProperty("feedback_message", out var comment)
            && comment.ValueKind == JsonValueKind.String && comment.GetString()!.Trim() is { Length: > 0 } text ? text : null;
    }
}
