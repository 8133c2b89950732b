using System.Net.Http.Json;
using System.Text.Json;
using Avalonia.Headless.XUnit;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Samples.Desk.Services;
using ChatHub.Samples.Desk.Tests.Infrastructure;
using ChatHub.Samples.Desk.ViewModels;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Samples.Desk.Tests;

/// <summary>The desk's view models against a real server, on Avalonia's UI thread (headless, no window): sign-in,
/// the list with unread counts and new-conversation notifications, the thread (paging, reply, private note, assign,
/// resolve), typing both ways, and the connection banner across a cut connection.</summary>
public sealed class DeskViewModelTests
{
    [AvaloniaFact]
    public async Task A_refused_token_says_so_and_the_right_one_opens_the_desk()
    {
        await using var server = await DeskServer.StartAsync();
        var main = new MainViewModel();
        Assert.IsType<SignInViewModel>(main.CurrentPage);

        Assert.True(main.SignIn.UsePassword); // email and password first; the access token is one click away
        main.SignIn.SwitchMethodCommand.Execute(null);
        Assert.True(main.SignIn.UseAccessToken);
        main.SignIn.ServerUrl = server.BaseUrl.ToString();
        main.SignIn.AccessToken = "not-a-token";
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        Assert.Equal("The server refused this access token.", main.SignIn.Error);
        Assert.IsType<SignInViewModel>(main.CurrentPage);

        main.SignIn.ServerUrl = "localhost:5000";
        main.SignIn.AccessToken = server.AgentToken;
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        Assert.StartsWith("The server URL is an http:// or https:// address", main.SignIn.Error);

        main.SignIn.ServerUrl = server.BaseUrl.ToString();
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        var desk = Assert.IsType<DeskViewModel>(main.CurrentPage);
        Assert.Null(main.SignIn.Error);
        Assert.Equal("", main.SignIn.AccessToken); // not kept in the form
        Assert.False(string.IsNullOrEmpty(desk.AgentName));

        await desk.SignOutCommand.ExecuteAsync(null);
        Assert.IsType<SignInViewModel>(main.CurrentPage);
        Assert.Null(main.SignIn.Error);
        // The access token is the agent's own: signing out of the desk leaves it working.
        using var withToken = server.AdminHttp();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await withToken.GetAsync("/api/v1/profile")).StatusCode);
    }

    [AvaloniaFact]
    public async Task The_list_shows_unread_counts_and_a_new_conversation_notifies()
    {
        await using var server = await DeskServer.StartAsync();
        var ann = await server.CustomerAsync("Ann Lee");
        await ann.SendMessageAsync("Hi, my order has not arrived");
        await ann.SendMessageAsync("It was order 1042");

        var notifier = new RecordingNotifier();
        await using var desk = await SignInAsync(server, notifier);
        var annRow = Assert.Single(desk.Conversations);
        Assert.Equal("Ann Lee", annRow.Title);
        Assert.Equal(2, annRow.UnreadCount);
        Assert.Equal("It was order 1042", annRow.Preview);
        Assert.Empty(desk.Notifications); // what was there at sign-in is not news

        var bob = await server.CustomerAsync("Bob Stone");
        await bob.SendMessageAsync("Can I change my address?");
        await Eventually.Until(() => desk.Conversations.Count == 2 && desk.Conversations[0].UnreadCount == 1 && desk.Notifications.Count == 1,
            "Bob's conversation, unread 1, on top, announced");
        var bobRow = desk.Conversations[0];
        Assert.Equal(bob.Conversation!.Id, bobRow.Id);
        Assert.Equal("Bob Stone", bobRow.Title);
        Assert.Equal("Can I change my address?", bobRow.Preview);
        var notification = Assert.Single(desk.Notifications);
        Assert.Equal(bobRow.Id, notification.ConversationId);
        Assert.Equal("New conversation from Bob Stone", notification.Title);
        Assert.Equal("Can I change my address?", notification.Body);
        Assert.Equal(["New conversation from Bob Stone"], notifier.Titles);

        // Opening a conversation reads it: its count goes to 0, and a message while it is open does not count.
        await desk.OpenConversationAsync(annRow.Id);
        Assert.Equal(0, annRow.UnreadCount);
        await ann.SendMessageAsync("Any news?");
        await Eventually.Until(() => desk.Thread!.Messages.Any(m => m.Content == "Any news?"), "Ann's new message in the open thread");
        Assert.Equal(0, annRow.UnreadCount);
        await bob.SendMessageAsync("Hello?");
        await Eventually.Until(() => bobRow.UnreadCount == 2, "Bob's second unread message");
        Assert.Equal(0, annRow.UnreadCount);

        desk.OpenNotificationCommand.Execute(notification);
        Assert.Empty(desk.Notifications);
        Assert.Same(bobRow, desk.SelectedConversation);
    }

    [AvaloniaFact]
    public async Task The_thread_pages_history_replies_adds_private_notes_assigns_and_resolves()
    {
        await using var server = await DeskServer.StartAsync();
        var ann = await server.CustomerAsync("Ann Lee");
        var annInbox = new CustomerInbox(ann);
        for (var i = 1; i <= 25; i++) await ann.SendMessageAsync($"message {i}");

        await using var desk = await SignInAsync(server, pageSize: 10);
        await desk.OpenConversationAsync(ann.Conversation!.Id);
        var thread = desk.Thread!;
        Assert.Equal(Enumerable.Range(16, 10).Select(i => $"message {i}"), thread.Messages.Select(m => m.Content));
        Assert.True(thread.HasMore);
        await thread.LoadOlderCommand.ExecuteAsync(null);
        await thread.LoadOlderCommand.ExecuteAsync(null);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"message {i}"), thread.Messages.Select(m => m.Content));
        Assert.False(thread.HasMore);
        Assert.False(thread.LoadOlderCommand.CanExecute(null));

        thread.IsPrivateNote = true;
        Assert.Equal("Add note", thread.SendLabel);
        thread.Draft = "VIP customer, be quick";
        await thread.SendCommand.ExecuteAsync(null);
        thread.Draft = "Hello Ann, let me check that for you";
        await thread.SendCommand.ExecuteAsync(null);
        Assert.Equal("", thread.Draft);
        Assert.False(thread.SendCommand.CanExecute(null)); // nothing to send

        await Eventually.Until(() => annInbox.Messages.Any(m => m.Content == "Hello Ann, let me check that for you"), "the reply at the customer");
        // The note was sent before the reply and pushes keep order: had the customer been shown it, it would be here.
        Assert.DoesNotContain(annInbox.Messages, m => m.Content == "VIP customer, be quick");
        var shown = thread.Messages.TakeLast(2).ToList();
        Assert.True(shown[0].IsPrivate && shown[0].IsOutgoing && shown[0].Content == "VIP customer, be quick");
        Assert.True(!shown[1].IsPrivate && shown[1].IsOutgoing);
        Assert.Equal(27, thread.Messages.Count); // each shown once: the send's answer and its push are one message

        Assert.Equal("Unassigned", thread.Conversation.AssigneeLabel);
        await thread.AssignToMeCommand.ExecuteAsync(null);
        Assert.Equal("Mine", thread.Conversation.AssigneeLabel);
        await thread.ResolveCommand.ExecuteAsync(null);
        Assert.Equal(ConversationStatuses.Resolved, thread.Conversation.Status);
        Assert.True(thread.Conversation.IsResolved);
        await thread.ReopenCommand.ExecuteAsync(null);
        Assert.Equal(ConversationStatuses.Open, thread.Conversation.Status);
    }

    [AvaloniaFact]
    public async Task Typing_shows_both_ways()
    {
        await using var server = await DeskServer.StartAsync();
        var ann = await server.CustomerAsync("Ann Lee");
        var annInbox = new CustomerInbox(ann);
        await ann.SendMessageAsync("Hello");
        await using var desk = await SignInAsync(server);
        await desk.OpenConversationAsync(ann.Conversation!.Id);
        var thread = desk.Thread!;

        await ann.SetTypingAsync(true);
        await Eventually.Until(() => thread.TypingText == "Ann Lee is typing…", "the customer typing, in the thread");
        Assert.True(thread.Conversation.IsContactTyping);
        await ann.SetTypingAsync(false);
        await Eventually.Until(() => thread.TypingText is null && !thread.Conversation.IsContactTyping, "the customer stopped typing");

        thread.Draft = "Let me s";
        thread.Draft = "Let me see"; // one typing call for a whole draft, not one per key
        await Eventually.Until(() => annInbox.Typing.Any(t => t.IsTyping), "the agent typing, at the customer");
        thread.Draft = "";
        await Eventually.Until(() => annInbox.Typing.Any(t => !t.IsTyping), "the agent stopped typing, at the customer");
        Assert.Equal([true, false], annInbox.Typing.Select(t => t.IsTyping));
        Assert.All(annInbox.Typing, t => Assert.Equal(SenderTypes.Agent, t.Sender.Type));
    }

    [AvaloniaFact]
    public async Task The_banner_shows_reconnecting_then_resynced_and_what_was_missed_is_there()
    {
        await using var server = await DeskServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var ann = await server.CustomerAsync("Ann Lee");
        await ann.SendMessageAsync("Hello");
        var session = new AgentSession(new AgentSessionOptions
        {
            ServerUrl = proxy.Url,
            AccessToken = server.AgentToken,
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(300) },
        });
        await using var desk = new DeskViewModel(session);
        await desk.StartAsync();
        await desk.OpenConversationAsync(ann.Conversation!.Id);
        Assert.False(desk.IsBannerVisible);

        proxy.RefuseConnections = true;
        proxy.DropAll();
        await Eventually.Until(() => desk.IsReconnecting, "the reconnecting banner");
        Assert.Contains("reconnecting", desk.BannerText);

        // While the desk is away: the customer writes, and a new customer starts a conversation.
        await ann.SendMessageAsync("Are you there?");
        var bob = await server.CustomerAsync("Bob Stone");
        await bob.SendMessageAsync("New question");
        proxy.RefuseConnections = false;

        await Eventually.Until(() => desk.IsResynced, "the resynced banner");
        Assert.Contains("caught up", desk.BannerText);
        // Reconnected is raised after the catch-up, so both are there already.
        Assert.Contains(desk.Thread!.Messages, m => m.Content == "Are you there?");
        Assert.Contains(desk.Conversations, c => c.Id == bob.Conversation!.Id);
        desk.DismissBannerCommand.Execute(null);
        Assert.False(desk.IsBannerVisible);
    }

    [AvaloniaFact]
    public async Task A_token_revoked_while_signed_in_shows_disconnected_and_asks_to_sign_in_again()
    {
        await using var server = await DeskServer.StartAsync();
        using var admin = server.AdminHttp();
        var created = await admin.PostAsJsonAsync("/api/v1/agents", new { name = "Bea Agent", email = "bea@example.com", role = "agent" });
        created.EnsureSuccessStatusCode();
        using var bea = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var beaId = bea.RootElement.GetProperty("id").GetInt64();
        var beaToken = bea.RootElement.GetProperty("access_token").GetString()!;

        await using var desk = new DeskViewModel(new AgentSession(new AgentSessionOptions { ServerUrl = server.BaseUrl, AccessToken = beaToken }));
        await desk.StartAsync();
        Assert.Equal("Bea Agent", desk.AgentName);

        // A new token for Bea: the server closes her connections, and the old token opens nothing any more.
        (await admin.PostAsync($"/api/v1/agents/{beaId}/reset_access_token", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => desk.IsDisconnected, "the disconnected banner");
        Assert.Equal("Disconnected by the server. Retry to connect again.", desk.BannerText);

        // Retry says why: the token is refused now.
        await desk.ReconnectCommand.ExecuteAsync(null);
        Assert.True(desk.IsDisconnected);
        Assert.Contains("no longer accepts this sign-in", desk.BannerText);
    }

    private static async Task<DeskViewModel> SignInAsync(DeskServer server, ISystemNotifier? notifier = null, int pageSize = 20)
    {
        var desk = new DeskViewModel(new AgentSession(new AgentSessionOptions { ServerUrl = server.BaseUrl, AccessToken = server.AgentToken }), notifier)
        {
            PageSize = pageSize,
        };
        await desk.StartAsync();
        return desk;
    }

    private sealed class RecordingNotifier : ISystemNotifier
    {
        public List<string> Titles { get; } = [];
        public void Show(string title, string body) => Titles.Add(title);
    }
}
