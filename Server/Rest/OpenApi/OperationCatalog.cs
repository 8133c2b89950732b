namespace ChatHub.Server.Rest.OpenApi;

/// <summary>Every REST operation's tag (its area) and summary, in one table: the API reference at /docs reads them
/// from here (ApiDocument), and a test fails when an operation has no entry, so a new endpoint gets documented.</summary>
public static class OperationCatalog
{
    public const string ClientApi = "Client API";
    public const string AgentApi = "Agent API";
    public const string ApplicationApi = "Application API";
    public const string Administration = "Administration";
    public const string Webhooks = "Webhooks";
    public const string Widget = "Widget";
    public const string Attachments = "Attachments";
    public const string Operations = "Operations";
    public const string Accounts = "Accounts";

    private const string Contact = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}";
    private const string Conversation = Contact + "/conversations/{conversation_id}";
    private const string Account = "/api/v1/accounts/{account_id}";

    /// <summary>The areas, in the order the reference shows them, with what each is for.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        (ClientApi, "Chatwoot's public client API: what a customer's widget or app calls. The customer is the contact named by source_id; no token beyond it (and the inbox's HMAC identity when mandatory)."),
        (AgentApi, "ChatHub's own agent API, as the agent console uses it: api_access_token header."),
        (ApplicationApi, "Chatwoot's application API for agents and bots (account 1): api_access_token header."),
        (Accounts, "Agents' passwords and sessions (Chatwoot's devise_token_auth paths), profiles and avatars."),
        (Administration, "Inboxes, agents and access tokens: administrators (an agent may reset its own token)."),
        (Webhooks, "Chatwoot's webhooks: signed, durable, at least once. Administrators only."),
        (Attachments, "Files of messages, served from unguessable URLs: inline only for raster images, audio, video and PDF."),
        (Widget, "What the widget and the demo page read."),
        (Operations, "Health."),
    ];

    private static readonly Dictionary<(string Method, string Path), (string Tag, string Summary)> Entries = new()
    {
        [("GET", "/healthz")] = (Operations, "Health of this node: its store and, with several nodes, Redis"),
        [("GET", "/demo/config")] = (Widget, "The demo page's inbox"),
        [("GET", "/public/api/v1/inboxes/{inbox_identifier}")] = (Widget, "An inbox as the widget shows it (name, greeting, working hours)"),
        [("POST", "/public/api/v1/inboxes/{inbox_identifier}/visitors/page_views")] = (Widget,
            "A visitor opened a page (url, title, referrer; the widget's visitor_token in the body): on the site now; answers an agent's chat once there is one"),
        [("POST", "/public/api/v1/inboxes/{inbox_identifier}/visitors/heartbeat")] = (Widget,
            "The visitor's page is still open (every heartbeat_seconds); answers an agent's chat once there is one"),
        [("GET", "/api/v1/visitors")] = (AgentApi, "The visitors on the site now, of the agent's inboxes (an administrator: every inbox), or of inbox_id"),
        [("POST", "/api/v1/inboxes/{inbox_id}/visitors/{visitor_id}/conversations")] = (AgentApi,
            "Start a conversation with a visitor, with the agent's message (the contact made if needed); the visitor's widget opens with it"),
        [("GET", "/public/api/v1/inboxes/{inbox_identifier}/post_chat_form")] = (Widget, "The inbox's post-chat form: the questions the widget asks after the CSAT rating"),
        [("POST", Conversation + "/post_chat_answers")] = (ClientApi, "Answer the inbox's post-chat form for this conversation (once): answers by question id"),
        [("GET", "/public/api/v1/inboxes/{inbox_identifier}/campaigns")] = (Widget, "The inbox's enabled campaigns as the widget shows them (message, trigger rules, sender's name and avatar)"),

        [("POST", "/public/api/v1/inboxes/{inbox_identifier}/contacts")] = (ClientApi, "Create a contact (the customer); answers its source_id and pubsub_token"),
        [("GET", Contact)] = (ClientApi, "The contact"),
        [("PATCH", Contact)] = (ClientApi, "Update the contact (name, email, phone, identifier with its HMAC, custom attributes)"),
        [("GET", Contact + "/conversations")] = (ClientApi, "The contact's conversations"),
        [("POST", Contact + "/conversations")] = (ClientApi, "Start a conversation, optionally with its first message"),
        [("GET", Conversation)] = (ClientApi, "One of the contact's conversations"),
        [("POST", Conversation + "/toggle_status")] = (ClientApi, "Resolve the conversation"),
        [("POST", Conversation + "/toggle_typing")] = (ClientApi, "Typing on or off (typing_status in the query or the body)"),
        [("POST", Conversation + "/update_last_seen")] = (ClientApi, "Mark the conversation seen by the contact"),
        [("POST", Conversation + "/transcript")] = (ClientApi, "Email the conversation's transcript to the contact's own email (rate-limited)"),
        [("GET", Conversation + "/messages")] = (ClientApi, "Messages, oldest first (before an id, or after a seq)"),
        [("POST", Conversation + "/messages")] = (ClientApi, "Send a message (idempotent by echo_id)"),
        [("PATCH", Conversation + "/messages/{message_id}")] = (ClientApi, "Answer an interactive message (submitted_values)"),
        [("POST", Contact + "/uploads")] = (ClientApi, "Upload a file (multipart) to send with a hub message by its id"),
        [("GET", "/attachments/{token}/{file_name}")] = (Attachments, "A message's file (the URL is its only key)"),

        [("POST", "/auth/sign_in")] = (Accounts, "Sign in with email and password (Chatwoot's devise_token_auth answer; session: \"cookie\" for the console)"),
        [("PUT", "/auth/password")] = (Accounts, "Set a password with a one-time link's token (reset_password_token) and sign in"),
        [("GET", "/auth/validate_token")] = (Accounts, "Whether the caller's session or token is valid, with its profile"),
        [("DELETE", "/auth/sign_out")] = (Accounts, "End the calling session (and clear the console's cookie)"),
        [("DELETE", "/auth/sessions")] = (Accounts, "Sign out everywhere: end every session of the agent; their connections close"),
        [("GET", "/avatars/{token}")] = (Accounts, "An agent's avatar image (public; the URL changes with the image)"),
        [("PATCH", "/api/v1/profile")] = (Accounts, "Edit your profile: name, display_name, avatar (multipart), password with current_password"),
        [("GET", "/api/v1/profile")] = (AgentApi, "The calling agent, in Chatwoot's profile shape (with ChatHub's availability and active)"),
        [("GET", "/api/v1/conversations")] = (AgentApi, "Conversations of the agent's inboxes, newest activity first, filtered and paged"),
        [("GET", "/api/v1/conversations/{id}")] = (AgentApi, "A conversation"),
        [("GET", "/api/v1/conversations/{id}/messages")] = (AgentApi, "Messages, private notes and activity included"),
        [("POST", "/api/v1/conversations/{id}/messages")] = (AgentApi, "Send a message or a private note (idempotent by echo_id)"),
        [("POST", "/api/v1/conversations/{id}/assignments")] = (AgentApi, "Assign the conversation (assignee_id, or null to unassign)"),
        [("POST", "/api/v1/conversations/{id}/toggle_status")] = (AgentApi, "Set the status (open, pending, resolved, snoozed until the customer writes)"),
        [("POST", "/api/v1/conversations/{id}/toggle_typing")] = (AgentApi, "Typing on or off"),
        [("POST", "/api/v1/conversations/{id}/update_last_seen")] = (AgentApi, "Mark the conversation seen by the agent"),
        [("POST", "/api/v1/uploads")] = (AgentApi, "Upload a file (multipart) to send with a hub message by its id"),

        [("GET", Account + "/profile")] = (ApplicationApi, "The calling agent, in Chatwoot's profile shape"),
        [("GET", Account + "/conversations")] = (ApplicationApi, "Conversations with Chatwoot's counts (mine, assigned, unassigned, all)"),
        [("GET", Account + "/conversations/{id}")] = (ApplicationApi, "A conversation in Chatwoot's shape"),
        [("GET", Account + "/conversations/{id}/messages")] = (ApplicationApi, "Messages in Chatwoot's shape"),
        [("POST", Account + "/conversations/{id}/messages")] = (ApplicationApi, "Send a message (message_type outgoing) or a private note"),
        [("POST", Account + "/conversations/{id}/assignments")] = (ApplicationApi, "Assign the conversation to an agent of its inbox (assignee_id) or, without one, to a team (team_id)"),
        [("POST", Account + "/conversations/{id}/toggle_status")] = (ApplicationApi, "Set or toggle the status; snoozed takes snoozed_until (Unix seconds)"),
        [("POST", Account + "/conversations/{id}/toggle_typing_status")] = (ApplicationApi, "Typing on or off"),
        [("POST", Account + "/conversations/{id}/update_last_seen")] = (ApplicationApi, "Mark the conversation seen"),
        [("POST", Account + "/conversations")] = (ApplicationApi, "Open a conversation with a contact of an inbox (contact_id or source_id), optionally with a first message"),
        [("GET", Account + "/conversations/meta")] = (ApplicationApi, "Conversation counts (mine, assigned, unassigned, all) for a status and inbox"),
        [("GET", Account + "/agents")] = (ApplicationApi, "The account's active agents, in Chatwoot's agent shape"),
        [("GET", Account + "/inboxes")] = (ApplicationApi, "The inboxes the agent works in (administrators: all); the HMAC secret to administrators only"),
        [("GET", Account + "/inboxes/{id}")] = (ApplicationApi, "An inbox the agent works in"),
        [("PATCH", Account + "/inboxes/{id}")] = (ApplicationApi, "Change an inbox's settings (administrators): working hours, timezone, out-of-office message, greeting, CSAT, auto-assignment"),
        [("GET", Account + "/contacts")] = (ApplicationApi, "Contacts of the agent's inboxes (administrators: all), newest first, 15 a page"),
        [("POST", Account + "/contacts")] = (ApplicationApi, "Add a contact to an inbox (inbox_id)"),
        [("GET", Account + "/contacts/search")] = (ApplicationApi, "Contacts whose name, email, phone or identifier contains q, or whose id is q"),
        [("GET", Account + "/contacts/{id}")] = (ApplicationApi, "A contact"),
        [("PUT", Account + "/contacts/{id}")] = (ApplicationApi, "Update a contact (custom_attributes merge key by key)"),
        [("PATCH", Account + "/contacts/{id}")] = (ApplicationApi, "Update a contact (custom_attributes merge key by key)"),
        [("GET", Account + "/contacts/{id}/conversations")] = (ApplicationApi, "A contact's conversations, newest activity first (at most 20)"),
        [("GET", Account + "/conversations/{id}/labels")] = (ApplicationApi, "The conversation's labels ({payload: [title]})"),
        [("POST", Account + "/conversations/{id}/labels")] = (ApplicationApi, "Set the conversation's labels to exactly these account labels (labels: [title])"),
        [("POST", Account + "/conversations/{id}/toggle_priority")] = (ApplicationApi, "Set the priority (urgent, high, medium, low or null)"),
        [("GET", Account + "/labels")] = (ApplicationApi, "The account's labels ({payload: [label]})"),
        [("POST", Account + "/labels")] = (ApplicationApi, "Create a label (administrators): title, description, color, show_on_sidebar"),
        [("PATCH", Account + "/labels/{id}")] = (ApplicationApi, "Change a label (administrators)"),
        [("PUT", Account + "/labels/{id}")] = (ApplicationApi, "Change a label (administrators)"),
        [("DELETE", Account + "/labels/{id}")] = (ApplicationApi, "Delete a label (administrators)"),
        [("GET", Account + "/teams")] = (ApplicationApi, "The account's teams (an array; is_member says whether the caller belongs)"),
        [("GET", Account + "/teams/{id}")] = (ApplicationApi, "A team"),
        [("POST", Account + "/teams")] = (ApplicationApi, "Create a team (administrators): name, description"),
        [("PATCH", Account + "/teams/{id}")] = (ApplicationApi, "Change a team (administrators)"),
        [("PUT", Account + "/teams/{id}")] = (ApplicationApi, "Change a team (administrators)"),
        [("DELETE", Account + "/teams/{id}")] = (ApplicationApi, "Delete a team and its memberships (administrators)"),
        [("GET", Account + "/canned_responses")] = (ApplicationApi, "The account's canned responses, by short code (an array; search filters by short code or content)"),
        [("POST", Account + "/canned_responses")] = (ApplicationApi, "Create a canned response (administrators): short_code, content"),
        [("PATCH", Account + "/canned_responses/{id}")] = (ApplicationApi, "Change a canned response (administrators)"),
        [("PUT", Account + "/canned_responses/{id}")] = (ApplicationApi, "Change a canned response (administrators)"),
        [("DELETE", Account + "/canned_responses/{id}")] = (ApplicationApi, "Delete a canned response (administrators)"),
        [("GET", Account + "/contacts/{id}/notes")] = (ApplicationApi, "A contact's private notes, newest first (an array; agents who see the contact)"),
        [("POST", Account + "/contacts/{id}/notes")] = (ApplicationApi, "Write a private note on a contact: content"),
        [("GET", Account + "/contacts/{id}/notes/{note_id}")] = (ApplicationApi, "One note of a contact"),
        [("PATCH", Account + "/contacts/{id}/notes/{note_id}")] = (ApplicationApi, "Change a contact note's content"),
        [("PUT", Account + "/contacts/{id}/notes/{note_id}")] = (ApplicationApi, "Change a contact note's content"),
        [("DELETE", Account + "/contacts/{id}/notes/{note_id}")] = (ApplicationApi, "Delete a contact note"),
        [("GET", Account + "/inboxes/{id}/post_chat_form")] = (ApplicationApi, "An inbox's post-chat form (questions asked after the CSAT rating)"),
        [("PUT", Account + "/inboxes/{id}/post_chat_form")] = (ApplicationApi, "Set an inbox's post-chat form (administrators): questions [{id, label, type text|choice, options, required}]"),
        [("GET", Account + "/conversations/{id}/post_chat_answers")] = (ApplicationApi, "The customer's answers to the post-chat form"),
        [("GET", Account + "/campaigns")] = (ApplicationApi, "The account's campaigns, newest first (an array)"),
        [("GET", Account + "/campaigns/{id}")] = (ApplicationApi, "A campaign"),
        [("POST", Account + "/campaigns")] = (ApplicationApi, "Create a campaign (administrators): title, message, inbox_id, sender_id, enabled, trigger_rules {url, time_on_page}"),
        [("PATCH", Account + "/campaigns/{id}")] = (ApplicationApi, "Change a campaign (administrators)"),
        [("PUT", Account + "/campaigns/{id}")] = (ApplicationApi, "Change a campaign (administrators)"),
        [("DELETE", Account + "/campaigns/{id}")] = (ApplicationApi, "Delete a campaign (administrators)"),
        // reports (issue 25), Chatwoot's v2 paths
        [("GET", "/api/v2/accounts/{account_id}/reports/overview")] = (ApplicationApi, "A report of a period (administrators): opened, resolved, first response and resolution times, CSAT, per day"),
        [("GET", "/api/v2/accounts/{account_id}/reports/summary")] = (ApplicationApi, "Chatwoot's report summary of a period (administrators; type account, inbox or agent)"),
        [("GET", "/api/v2/accounts/{account_id}/reports")] = (ApplicationApi, "Chatwoot's per-day timeseries of one metric (administrators)"),
        [("GET", "/api/v2/accounts/{account_id}/reports/conversations.csv")] = (ApplicationApi, "A report's days as CSV (administrators)"),
        [("GET", "/api/v2/accounts/{account_id}/reports/csat.csv")] = (ApplicationApi, "A period's CSAT answers with comments as CSV (administrators)"),
        [("GET", Account + "/conversations/search")] = (ApplicationApi, "Conversations whose contact or messages match q (the list's envelope; ten pages at most)"),
        [("GET", Account + "/search")] = (ApplicationApi, "The first page of conversations, contacts and messages matching q"),
        [("GET", Account + "/search/conversations")] = (ApplicationApi, "Conversations whose contact or messages match q"),
        [("GET", Account + "/search/contacts")] = (ApplicationApi, "Contacts whose name, email, phone or identifier contains q"),
        [("GET", Account + "/search/messages")] = (ApplicationApi, "Messages with a word starting with each word of q, newest first (private notes too)"),
        [("GET", Account + "/teams/{id}/team_members")] = (ApplicationApi, "A team's agents"),
        [("POST", Account + "/teams/{id}/team_members")] = (ApplicationApi, "Add agents (user_ids) to a team (administrators)"),
        [("PATCH", Account + "/teams/{id}/team_members")] = (ApplicationApi, "Make a team's members exactly these agents (user_ids; administrators)"),
        [("DELETE", Account + "/teams/{id}/team_members")] = (ApplicationApi, "Remove agents (user_ids) from a team (administrators)"),
        [("GET", Account + "/assignable_agents")] = (ApplicationApi, "The active agents a conversation of these inboxes (inbox_ids[]) may be assigned to ({payload: [agent]})"),

        [("GET", "/api/v1/agents")] = (Administration, "The agents (administrators)"),
        [("POST", "/api/v1/agents")] = (Administration, "Create an agent; its access token is in this answer only"),
        [("PATCH", "/api/v1/agents/{id}")] = (Administration, "Deactivate (active: false) or reactivate an agent"),
        [("POST", "/api/v1/agents/{id}/reset_access_token")] = (Administration, "Give an agent a new access token (the old one stops working)"),
        [("POST", "/api/v1/profile/reset_access_token")] = (Administration, "Give yourself a new access token and pubsub token (the old ones stop working)"),
        [("POST", "/api/v1/agents/{id}/account_link")] = (Administration,
            "A one-time link for an agent to set a password (purpose: invitation or password_reset); earlier links stop working"),
        [("POST", "/api/v1/inboxes")] = (Administration, "Create an inbox"),
        [("GET", "/api/v1/inboxes")] = (Administration, "The inboxes, with their secrets (administrators)"),
        [("PATCH", "/api/v1/inboxes/{id}")] = (Administration, "Change an inbox's settings: name, greeting, working hours, out-of-office message, HMAC, CSAT survey"),
        [("GET", "/api/v1/inboxes/{id}/members")] = (Administration, "The agents who are members of an inbox"),
        [("POST", "/api/v1/inboxes/{id}/members")] = (Administration, "Add agents to an inbox"),
        [("DELETE", "/api/v1/inboxes/{id}/members/{agent_id}")] = (Administration,
            "Remove an agent from an inbox; its open connections stop hearing the inbox at once"),
        [("GET", Account + "/inbox_members/{inbox_id}")] = (Administration, "The agents who are members of an inbox (Chatwoot's path)"),
        [("POST", Account + "/inbox_members")] = (Administration, "Add agents (user_ids) to an inbox (inbox_id)"),
        [("PATCH", Account + "/inbox_members")] = (Administration, "Make an inbox's members exactly these agents (user_ids)"),
        [("DELETE", Account + "/inbox_members")] = (Administration, "Remove agents (user_ids) from an inbox (inbox_id)"),

        [("POST", Account + "/webhooks")] = (Webhooks, "Create a webhook; its signing secret is in this answer only"),
        [("GET", Account + "/webhooks")] = (Webhooks, "The webhooks"),
        [("PATCH", Account + "/webhooks/{id}")] = (Webhooks, "Update a webhook's url or subscriptions"),
        [("PUT", Account + "/webhooks/{id}")] = (Webhooks, "Update a webhook's url or subscriptions"),
        [("DELETE", Account + "/webhooks/{id}")] = (Webhooks, "Delete a webhook and its unsent deliveries"),
        [("GET", Account + "/webhooks/{id}/deliveries")] = (Webhooks, "A webhook's deliveries: status, attempts, last error, next attempt"),
        [("POST", "/api/v1/webhooks")] = (Webhooks, "Create a webhook (without the account path)"),
        [("GET", "/api/v1/webhooks")] = (Webhooks, "The webhooks (without the account path)"),
        [("PATCH", "/api/v1/webhooks/{id}")] = (Webhooks, "Update a webhook (without the account path)"),
        [("PUT", "/api/v1/webhooks/{id}")] = (Webhooks, "Update a webhook (without the account path)"),
        [("DELETE", "/api/v1/webhooks/{id}")] = (Webhooks, "Delete a webhook (without the account path)"),
        [("GET", "/api/v1/webhooks/{id}/deliveries")] = (Webhooks, "A webhook's deliveries (without the account path)"),
    };

    public static (string Tag, string Summary)? Find(string method, string path) =>
        Entries.TryGetValue((method.ToUpperInvariant(), path), out var entry) ? entry : null;

    /// <summary>Whether the operation needs the api_access_token header.</summary>
    public static bool NeedsAccessToken(string path) => path.StartsWith("/api/v1/", StringComparison.Ordinal);
}
