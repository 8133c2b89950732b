using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>What a contact note is, once for every note use case: content of 1 to 10,000 characters, written and read
/// by the agents who see the contact (<see cref="ContactAccess"/>: members of its inbox, administrators); contacts never
/// (a note is internal: no push, webhook or widget answer carries it). Writes share the caller's contact-update budget
/// (Limits:ContactUpdatesPerMinute).</summary>
public static class ContactNoteRules
{
    public const int MaxContentLength = 10_000;

    public static void RequireAgent(Caller caller)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public static IRuleBuilderOptions<T, string?> Content<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Trim().Length >= 1).WithMessage("content must not be blank")
            .Must(s => s is null || s.Length <= MaxContentLength).WithMessage($"content must be at most {MaxContentLength} characters")
            .WellFormed();

    /// <summary>A note of a contact the caller sees, or "not found" (also for a note of another contact).</summary>
    public static async ValueTask<ContactNoteRow> ReadAsync(IStoreReader store, Caller caller, long contactId, long noteId)
    {
        var contact = await ContactAccess.ReadAsync(store, caller, contactId);
        var note = await store.GetContactNoteAsync(noteId);
        return note is not null && note.ContactId == contact.Id ? note : throw ChatException.NotFound("note");
    }
}
