using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>The tracker's decisions one by one, against a scripted server, for orders of arrival that a real
/// server produces only by chance.</summary>
public sealed class ConversationTrackerTests
{
    private const long ConversationId = 7;
    private readonly ScriptedServer _server = new();
    private readonly RecordingClient _app = new();
    private readonly ConversationTracker _tracker;

    public ConversationTrackerTests() =>
        _tracker = new ConversationTracker(_app, _server.GetMessages, () => 2, NullLogger.Instance);

    [Fact]
    public async Task A_push_seen_twice_is_handed_over_once()
    {
        await _tracker.TrackAsync(_server.Snapshot());
        var message = _server.Append("hi");
        await _tracker.OnPushAsync(Change.Created(message));
        await _tracker.OnPushAsync(Change.Created(message));

        Assert.Equal([("MessageCreated", 1L)], SequenceAssert.ChangesOf(_app, ConversationId));
        Assert.Equal(0, _server.Fetches);
    }

    [Fact]
    public async Task A_push_ahead_of_an_own_send_waits_for_its_answer_instead_of_fetching()
    {
        await _tracker.TrackAsync(_server.Snapshot());
        _tracker.BeginOwnCall(ConversationId);
        var own = _server.Append("mine");    // seq 1, never pushed to its sender
        var reply = _server.Append("reply"); // seq 2, pushed before the answer to "mine" arrives

        await _tracker.OnPushAsync(Change.Created(reply));
        Assert.Empty(_app.Events);
        await _tracker.OnOwnCallEndedAsync(ConversationId, own);

        Assert.Equal(["mine", "reply"], _app.All<Pushed.MessageCreated>().Select(m => m.Message.Content));
        Assert.Equal(0, _server.Fetches);
    }

    [Fact]
    public async Task A_gap_left_by_an_own_send_that_failed_is_fetched()
    {
        await _tracker.TrackAsync(_server.Snapshot());
        _tracker.BeginOwnCall(ConversationId);
        _server.Append("stored, but its answer was lost");
        var reply = _server.Append("reply");

        await _tracker.OnPushAsync(Change.Created(reply));
        await _tracker.OnOwnCallEndedAsync(ConversationId, acknowledged: null);

        Assert.Equal(["stored, but its answer was lost", "reply"], _app.All<Pushed.MessageCreated>().Select(m => m.Message.Content));
        Assert.Equal(1, _server.Fetches);
    }

    [Fact]
    public async Task A_resync_hands_over_new_messages_as_created_and_changed_known_ones_as_updated_in_seq_order()
    {
        var form = _server.Append("pick one");          // seq 1, the app has it
        await _tracker.TrackAsync(_server.Snapshot());
        var missed = _server.Append("missed");            // seq 2
        _server.Update(form.Id, "pick one (answered)");   // seq 3: the form moves to 3
        _server.Update(missed.Id, "missed (answered)");   // seq 4: a message the app never had, already changed
        var next = _server.Append("next");                // seq 5

        await _tracker.OnPushAsync(Change.Created(next)); // skips 2..4

        Assert.Equal([("MessageUpdated", 3L), ("MessageCreated", 4L), ("MessageCreated", 5L)], SequenceAssert.ChangesOf(_app, ConversationId));
        Assert.Equal("missed (answered)", _app.All<Pushed.MessageCreated>()[0].Message.Content);
        Assert.Equal(2, _server.Fetches); // pages of 2: seqs 3-4, then the end
    }

    [Fact]
    public async Task Conversation_changes_missed_in_a_gap_arrive_once_as_the_current_state_and_not_at_all_when_undone()
    {
        await _tracker.TrackAsync(_server.Snapshot());
        _server.SetStatus("resolved"); // seq 1
        _server.SetStatus("open");     // seq 2: back where the app is
        await _tracker.ResyncAllAsync();
        Assert.Empty(_app.Events);

        _server.SetStatus("pending");  // seq 3
        await _tracker.ResyncAllAsync();
        var updated = Assert.Single(_app.All<Pushed.ConversationUpdated>());
        Assert.Equal(("pending", 3L), (updated.Conversation.Status, updated.Conversation.Seq));

        await _tracker.OnPushAsync(Change.Updated(_server.Snapshot() with { Seq = 3 })); // the late push of seq 3
        Assert.Single(_app.All<Pushed.ConversationUpdated>());
    }

    [Fact]
    public async Task A_failed_fetch_keeps_the_early_push_and_the_next_push_tries_again()
    {
        await _tracker.TrackAsync(_server.Snapshot());
        _server.Append("one");
        var two = _server.Append("two");
        _server.Offline = true;
        await _tracker.OnPushAsync(Change.Created(two));
        Assert.Empty(_app.Events);

        _server.Offline = false;
        var three = _server.Append("three");
        await _tracker.OnPushAsync(Change.Created(three));

        Assert.Equal(["one", "two", "three"], _app.All<Pushed.MessageCreated>().Select(m => m.Message.Content));
    }

    [Fact]
    public async Task The_answer_to_the_apps_own_start_hands_over_the_creation_and_the_first_message_whichever_comes_first()
    {
        var started = _server.Start("hello"); // the answer carries seq 1 and the first message
        await _tracker.OnOwnStartAsync(started);
        await _tracker.OnPushAsync(Change.Created(started with { Seq = 0, Messages = [] })); // the push of seq 0, late

        Assert.Equal([("ConversationCreated", 0L), ("MessageCreated", 1L)], SequenceAssert.ChangesOf(_app, ConversationId));
        Assert.Equal(0, _server.Fetches);
    }

    /// <summary>One conversation's messages and state, answering GetMessages {afterSeq} as the server does.</summary>
    private sealed class ScriptedServer
    {
        private readonly List<MessageDto> _messages = [];
        private ConversationDto _conversation = new() { Id = ConversationId, Status = "open" };
        private long _nextId = 100;

        public int Fetches { get; private set; }
        public bool Offline { get; set; }

        public ConversationDto Snapshot() => _conversation with { Messages = _messages.ToList() };

        public ConversationDto Start(string content)
        {
            var first = Append(content);
            return Snapshot() with { Messages = [first] };
        }

        public MessageDto Append(string content)
        {
            var message = new MessageDto { Id = _nextId++, ConversationId = ConversationId, Seq = Bump(), Content = content };
            _messages.Add(message);
            return message;
        }

        public void Update(long id, string content)
        {
            var at = _messages.FindIndex(m => m.Id == id);
            _messages[at] = _messages[at] with { Content = content, Seq = Bump() };
        }

        public void SetStatus(string status)
        {
            var seq = Bump();
            _conversation = _conversation with { Status = status, Seq = seq };
        }

        public Task<GetMessagesResult> GetMessages(GetMessagesRequest request)
        {
            Fetches++;
            if (Offline) return Task.FromException<GetMessagesResult>(new ChatHubConnectionClosedException("offline"));
            var after = _messages.Where(m => m.Seq > request.AfterSeq).OrderBy(m => m.Seq).ToList();
            var limit = request.Limit ?? 20;
            return Task.FromResult(new GetMessagesResult { Conversation = _conversation, Messages = after.Take(limit).ToList(), HasMore = after.Count > limit });
        }

        private long Bump()
        {
            _conversation = _conversation with { Seq = _conversation.Seq + 1 };
            return _conversation.Seq;
        }
    }
}
