using System.Net;
using System.Text;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Mail;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Email;

/// <summary>The emails ChatHub writes about a conversation, to its customer: the replies they missed (with a link back),
/// and a transcript. Plain text plus escaped HTML: message text is shown as written (markdown unrendered), never as
/// markup, and a file is named, not attached.</summary>
public static class ConversationMail
{
    /// <summary>One message as the email shows it.</summary>
    public sealed record Line(string Author, long CreatedAt, string Content, IReadOnlyList<string> Files);

    public static OutgoingMail Replies(string to, InboxRow inbox, IReadOnlyList<Line> replies, string? link)
    {
        var subject = replies.Count == 1 ? $"New reply from {inbox.Name}" : $"{replies.Count} new replies from {inbox.Name}";
        var intro = $"You have {(replies.Count == 1 ? "a new reply" : "new replies")} in your conversation with {inbox.Name}:";
        var outro = link is null ? "Reply in the chat on our website." : $"Continue the conversation: {link}";
        return Compose(to, subject, intro, replies, outro, link);
    }

    public static OutgoingMail Transcript(string to, InboxRow inbox, IReadOnlyList<Line> lines, bool cut)
    {
        var intro = $"The transcript of your conversation with {inbox.Name}{(cut ? $" (its first {lines.Count} messages)" : "")}:";
        return Compose(to, $"Your conversation with {inbox.Name}", intro, lines, "Thank you for contacting us.", null);
    }

    /// <summary>The page a reply email links back to: Email:ConversationLinkBase when set, else the conversation's page_url
    /// (what the widget recorded as the page it was started on), only when it is an absolute http(s) URL.</summary>
    public static string? LinkOf(ConversationRow conversation, string? linkBase)
    {
        if (!string.IsNullOrWhiteSpace(linkBase)) return linkBase;
        if (JsonText.ToDictionary(conversation.CustomAttributes) is not { } attributes
            || !attributes.TryGetValue("page_url", out var page) || page.ValueKind != JsonValueKind.String) return null;
        return Uri.TryCreate(page.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;
    }

    /// <summary>Files of a message, by name (the email carries no attachment).</summary>
    public static IReadOnlyList<string> FileNames(MessageRow m) => m.Attachments.Select(a => a.FileName).ToList();

    private static OutgoingMail Compose(string to, string subject, string intro, IReadOnlyList<Line> lines, string outro, string? link)
    {
        var text = new StringBuilder().AppendLine(intro).AppendLine();
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(Html(intro)).Append("</p>");
        foreach (var line in lines)
        {
            var when = DateTimeOffset.FromUnixTimeMilliseconds(line.CreatedAt).ToString("yyyy-MM-dd HH:mm 'UTC'");
            text.AppendLine($"{line.Author} ({when}):").AppendLine(line.Content);
            html.Append("<p><b>").Append(Html(line.Author)).Append("</b> <small>").Append(Html(when)).Append("</small><br>")
                .Append(Html(line.Content).Replace("\n", "<br>"));
            foreach (var file in line.Files)
            {
                text.AppendLine($"[file: {file}]");
                html.Append("<br><i>[file: ").Append(Html(file)).Append("]</i>");
            }
            text.AppendLine();
            html.Append("</p>");
        }
        text.AppendLine(outro);
        html.Append("<p>").Append(link is null ? Html(outro)
            : $"<a href=\"{Html(link)}\">Continue the conversation</a>").Append("</p></body></html>");
        return new OutgoingMail(to, subject, text.ToString(), html.ToString());
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Who wrote a message, as the customer is shown it.</summary>
    public static string AuthorOf(MessageRow m, IReadOnlyDictionary<long, string> agentNames, string? contactName) =>
        m.SenderType == SenderTypes.Contact ? contactName ?? "You"
        : m.SenderId is { } id && agentNames.TryGetValue(id, out var name) ? name
        : "Support";
}
