using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatHub.Server.Features.PostChatForms;

/// <summary>A question of an inbox's post-chat form (issue 27), asked by the widget after the CSAT rating: free text, or
/// one choice of its options.</summary>
public sealed record PostChatQuestion(string Id, string Label, string Type, IReadOnlyList<string>? Options, bool Required);

/// <summary>An answer as the conversation keeps it: the question's label at the time, so a question changed or removed
/// later still reads right beside its answer.</summary>
public sealed record PostChatAnswer(string Id, string Label, string Answer);

/// <summary>The post-chat form's JSON on the inbox (questions) and on the conversation (answers), and its limits: at
/// most 10 questions; an id of 1 to 40 letters, digits, '-' or '_' (unique in the form); a label of 1 to 200
/// characters; a choice of 2 to 10 options of 1 to 100 characters; an answer of at most 1,000 characters.</summary>
public static class PostChatForm
{
    public const string Text = "text";
    public const string Choice = "choice";
    public const int MaxQuestions = 10;
    public const int MaxIdLength = 40;
    public const int MaxLabelLength = 200;
    public const int MaxOptions = 10;
    public const int MaxOptionLength = 100;
    public const int MaxAnswerLength = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<PostChatQuestion> QuestionsOf(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<PostChatQuestion>>(json, Json) ?? [];

    public static string? QuestionsJson(IReadOnlyList<PostChatQuestion> questions) =>
        questions.Count == 0 ? null : JsonSerializer.Serialize(questions, Json);

    public static IReadOnlyList<PostChatAnswer> AnswersOf(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<PostChatAnswer>>(json, Json) ?? [];

    public static string AnswersJson(IReadOnlyList<PostChatAnswer> answers) => JsonSerializer.Serialize(answers, Json);

    public static bool IsId(string? id) =>
        id is { Length: >= 1 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
