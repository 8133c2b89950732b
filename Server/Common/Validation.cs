using System.Text.Json;
using ChatHub.Contracts;
using FluentValidation;

namespace ChatHub.Server.Common;

/// <summary>A validator with a hand-written check for the common shape of its request, on a hot path where
/// FluentValidation's per-call cost shows: a request the check accepts is valid and skips FluentValidation; any other
/// goes through the validator's rules, which give the errors. So the check may only accept what the rules accept.</summary>
public interface IPlainValidation<in T>
{
    bool IsPlainlyValid(T request);
}

public static class Validation
{
    /// <summary>Runs a validator and turns its failures into one "validation" error with per-field messages.</summary>
    public static void ValidateOrThrow<T>(this IValidator<T> validator, T command)
    {
        var result = validator.Validate(command);
        if (result.IsValid) return;
        var errors = result.Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        throw new ChatException(ErrorCodes.Validation, string.Join("; ", result.Errors.Select(e => e.ErrorMessage)))
        {
            Errors = errors,
        };
    }

    public static IRuleBuilderOptions<T, JsonElement?> JsonObjectWithin<T>(this IRuleBuilder<T, JsonElement?> rule, int maxBytes) =>
        rule.Must(v => v is null || v.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined)
            .WithMessage("{PropertyName} must be a JSON object")
            .Must(v => JsonText.Size(v) <= maxBytes)
            .WithMessage($"{{PropertyName}} must be at most {maxBytes} bytes")
            .Must(v => JsonText.Depth(v) <= MaxAttributesDepth)
            .WithMessage($"{{PropertyName}} must nest at most {MaxAttributesDepth} levels")
            .Must(WellFormedText.IsWellFormed).WithMessage(NotWellFormed);

    public static IRuleBuilderOptions<T, Dictionary<string, JsonElement>?> AttributesWithin<T>(
        this IRuleBuilder<T, Dictionary<string, JsonElement>?> rule, int maxBytes) =>
        rule.Must(v => JsonText.Size(v) <= maxBytes).WithMessage($"{{PropertyName}} must be at most {maxBytes} bytes")
            .Must(v => JsonText.Depth(v) <= MaxAttributesDepth).WithMessage($"{{PropertyName}} must nest at most {MaxAttributesDepth} levels")
            .Must(WellFormedText.IsWellFormed).WithMessage(NotWellFormed);

    /// <summary>Every free text that is stored: see <see cref="WellFormedText"/>.</summary>
    public static IRuleBuilderOptions<T, string?> WellFormed<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(WellFormedText.IsWellFormed).WithMessage(NotWellFormed);

    private const string NotWellFormed = "{PropertyName} must be well-formed Unicode text (no lone surrogate, no NUL character)";

    /// <summary>A contact's source_id (its key in the client API's paths): the rule at creation and every lookup use
    /// this one length, so a source_id that is taken is always found again.</summary>
    public const int MaxSourceIdLength = 64;

    /// <summary>Attributes (custom_attributes, content_attributes, submitted_values) nest at most this deep. Deeper
    /// values would be stored but could not be written back inside a response or push (System.Text.Json's depth
    /// limit is 64), which would break every answer and every agent connection that carries them.</summary>
    public const int MaxAttributesDepth = 32;
}
