using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Client;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>The hub over SignalR's MessagePack protocol, with the .NET client as an app uses it (the official
/// <c>AddMessagePackProtocol()</c> beside <c>WithChatHub</c>): a customer and an agent chat, with files and interactive
/// messages, and every answer and push equals what a JSON connection of the same agent gets; refusals arrive coded; the
/// reliable connection works over it; and the wire is MessagePack (binary frames, maps keyed by property names).</summary>
public sealed class MessagePackHubTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static readonly JsonElement Choices = Json("""
        {"items":[{"title":"🍕 Pizza","value":"pizza","price":12.5},{"title":"Ünïcödé \"salad\"","value":"salad","price":9}],
         "meta":{"max":9007199254740993,"tags":["a",null,true],"empty":{}}}
        """);

    [Fact]
    public async Task A_customer_and_an_agent_chat_over_MessagePack_and_get_what_a_JSON_connection_gets()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann", new { name = "Ann", custom_attributes = new { plan = "gold", seats = 3 } });
        await using var customer = await ProtocolSession.MessagePackAsync(server, contact.PubsubToken);
        await using var agent = await ProtocolSession.MessagePackAsync(server, server.AgentToken);
        // The same agent in two more tabs that only watch, one on each protocol: they get the same pushes (a sender's
        // own connection does not get its MessageCreated, so the sending tab is not compared).
        await using var watching = await ProtocolSession.MessagePackAsync(server, server.AgentToken);
        await using var watchingOnJson = await ProtocolSession.JsonAsync(server, server.AgentToken);

        var order = Json("""{"order":{"id":42,"lines":["tea","cake"],"total":7.25}}""");
        var started = await customer.Hub.StartConversationAsync(new StartConversationRequest
        {
            CustomAttributes = new() { ["order"] = order.GetProperty("order") },
            Message = new NewMessage { Content = "Hello 👋", EchoId = "c-1" },
        });
        SameJson.Equal(order, started.CustomAttributes);
        var first = Assert.Single(started.Messages);
        Assert.Equal(("Hello 👋", "c-1"), (first.Content, first.EchoId));
        var created = await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == started.Id);
        SameJson.Equal(order, created.Conversation.CustomAttributes);
        var hello = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == first.Id);
        Assert.Equal("gold", hello.Message.Sender!.CustomAttributes!["plan"].GetString()); // agents see the contact's attributes

        // An interactive question: its content_attributes reach the customer as sent.
        var question = await agent.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = started.Id, Content = "What would you like?", ContentType = "input_select", ContentAttributes = Choices, EchoId = "a-1",
        });
        SameJson.Equal(Choices, question.ContentAttributes);
        var asked = await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == question.Id);
        Assert.Equal("input_select", asked.Message.ContentType);
        SameJson.Equal(Choices, asked.Message.ContentAttributes);
        Assert.Equal(9007199254740993, asked.Message.ContentAttributes!.Value.GetProperty("meta").GetProperty("max").GetInt64()); // past float64's integers

        // The customer's answer: stored under submitted_values beside the question's own attributes.
        var answer = Json("""[{"title":"🍕 Pizza","value":"pizza"}]""");
        var answered = await customer.Hub.SubmitValuesAsync(question.Id, answer);
        SameJson.Equal(answer, answered.ContentAttributes!.Value.GetProperty("submitted_values"));
        SameJson.Equal(Choices.GetProperty("items"), answered.ContentAttributes!.Value.GetProperty("items"));
        var updated = await agent.Pushes.WaitFor<Pushed.MessageUpdated>(m => m.Message.Id == question.Id);
        SameJson.Equal(answered.ContentAttributes, updated.Message.ContentAttributes);

        var contactUpdate = await customer.Hub.UpdateContactAsync(new UpdateContactRequest
        {
            Email = "ann@example.com", CustomAttributes = new() { ["vip"] = Json("true"), ["score"] = Json("1.5") },
        });
        Assert.True(contactUpdate.CustomAttributes!["vip"].GetBoolean());
        var contactPushed = await agent.Pushes.WaitFor<Pushed.ContactUpdated>(c => c.Contact.Id == contact.Id);
        Assert.Equal(1.5, contactPushed.Contact.CustomAttributes!["score"].GetDouble());

        var reply = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = started.Id, Content = "Coming up", EchoId = "a-2" });
        await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        var thanks = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = started.Id, Content = "Thanks", EchoId = "c-2" });

        // Everything one watching tab got, the other got the same (the last push is the customer's thanks: the barrier).
        await watchingOnJson.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == thanks.Id);
        await watching.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == thanks.Id);
        Assert.Equal(["ConversationCreated", "MessageCreated", "MessageCreated", "MessageUpdated", "ContactUpdated", "MessageCreated", "MessageCreated"],
            watching.Pushes.Events.Where(NotPresence).Select(e => e.GetType().Name));
        SameJson.Equal(watchingOnJson.Pushes.Events.Where(NotPresence), watching.Pushes.Events.Where(NotPresence));
        var history = await agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = started.Id });
        SameJson.Equal(await watchingOnJson.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = started.Id }), history);
        Assert.Equal([first.Id, question.Id, reply.Id, thanks.Id], history.Messages.Select(m => m.Id));
        var listed = await agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" });
        SameJson.Equal(await watchingOnJson.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" }), listed);
        SameJson.Equal(Choices.GetProperty("items"), listed.Single().Messages.Single(m => m.Id == question.Id).ContentAttributes!.Value.GetProperty("items"));
        Assert.Empty(await customer.Hub.ListConversationsAsync(new ListConversationsRequest { Status = ConversationStatuses.Resolved }));

        // The protocol on the wire: MessagePack is binary, JSON is text (the handshake answer is a frame too).
        Assert.Equal(0, customer.Frames.Text);
        Assert.True(agent.Frames.Binary > 5, $"{agent.Frames.Binary} binary frames");
        Assert.Equal(0, watchingOnJson.Frames.Binary);
    }

    // Presence pushes follow each agent connection's own arrival, so the two connections see different ones.
    private static bool NotPresence(object push) => push is not PresenceEvent;

    private static async Task<AttachmentDto> Upload(HttpClient http, string path, string name, byte[] bytes) =>
        await (await http.PostAsync(path, TestFiles.Form([], [(name, bytes, "application/octet-stream")], "attachment"))).Read<AttachmentDto>();

    [Fact]
    public async Task Files_go_both_ways_over_MessagePack()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        await using var customer = await ProtocolSession.MessagePackAsync(server, contact.PubsubToken);
        await using var agent = await ProtocolSession.MessagePackAsync(server, server.AgentToken);
        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        var png = TestFiles.Png();
        var upload = await Upload(server.Http, $"{server.ClientApi}/contacts/{contact.SourceId}/uploads", "cat.png", png);
        var sent = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = [upload.Id] });
        var attachment = Assert.Single(sent.Attachments);
        Assert.Equal((upload.Id, sent.Id, AttachmentFileTypes.Image, "cat.png"), (attachment.Id, attachment.MessageId, attachment.FileType, attachment.FileName));
        var pushed = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        Assert.Equal(attachment, Assert.Single(pushed.Message.Attachments));
        Assert.Equal(png, await server.Http.GetByteArrayAsync(attachment.DataUrl));

        using var agentHttp = server.AgentHttp(server.AgentToken);
        var pdf = await Upload(agentHttp, "/api/v1/uploads", "invoice.pdf", TestFiles.Pdf());
        var reply = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "your invoice", AttachmentIds = [pdf.Id] });
        var atCustomer = await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        var file = Assert.Single(atCustomer.Message.Attachments);
        Assert.Equal((AttachmentFileTypes.File, "pdf", "invoice.pdf"), (file.FileType, file.Extension, file.FileName));
        Assert.Equal(TestFiles.Pdf(), await server.Http.GetByteArrayAsync(file.DataUrl));
    }

    [Fact]
    public async Task Refusals_arrive_as_ChatHubExceptions_with_their_codes_and_the_connection_goes_on()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        await using var customer = await ProtocolSession.MessagePackAsync(server, contact.PubsubToken);
        await using var agent = await ProtocolSession.MessagePackAsync(server, server.AgentToken);
        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        async Task<ChatHubException> Refused(Func<Task> call) => await Assert.ThrowsAsync<ChatHubException>(call);

        var empty = await Refused(() => customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "" }));
        Assert.Equal(ErrorCodes.Validation, empty.Code);
        Assert.StartsWith("validation: ", empty.Message);
        Assert.Contains("content", empty.Detail);
        var elsewhere = await Refused(() => customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id + 1000 }));
        Assert.Contains(elsewhere.Code, new[] { ErrorCodes.NotFound, ErrorCodes.Forbidden });
        var agentsAnswer = await Refused(() => agent.Hub.SubmitValuesAsync(1, Json("""{"a":1}""")));
        Assert.Equal(ErrorCodes.Forbidden, agentsAnswer.Code);
        var notAValue = await Refused(() => customer.Hub.SubmitValuesAsync(1, Json("\"text\"")));
        Assert.Equal((ErrorCodes.Validation, "submitted_values must be a JSON object or array"), (notAValue.Code, notAValue.Detail));

        // Words SignalR would have said itself, coded too.
        var unknown = await Refused(() => customer.Hub.InvokeAsync("NoSuchMethod", []));
        Assert.Equal((ErrorCodes.NotFound, "unknown hub method NoSuchMethod"), (unknown.Code, unknown.Detail));
        var wrongTypes = await Refused(() => customer.Hub.InvokeAsync("SetTyping", ["not a number", true]));
        Assert.Equal((ErrorCodes.Validation, "the arguments do not match SetTyping (count and types)"), (wrongTypes.Code, wrongTypes.Detail));
        var tooDeep = JsonDocument.Parse(new string('[', 100) + new string(']', 100), new JsonDocumentOptions { MaxDepth = 101 }).RootElement;
        var deep = await Refused(() => customer.Hub.SubmitValuesAsync(1, tooDeep));
        Assert.Equal(ErrorCodes.Validation, deep.Code);
        Assert.StartsWith("the arguments do not match SubmitValues", deep.Detail);

        Assert.Equal(HubConnectionState.Connected, customer.Connection.State);
        var after = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "still here" });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == after.Id);
    }

    [Fact]
    public async Task The_reliable_connection_hands_over_each_change_once_in_seq_order_over_MessagePack()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        await using var connection = new HubConnectionBuilder()
            .WithChatHub(server.BaseUrl, contact.PubsubToken)
            .AddMessagePackProtocol()
            .WithAutomaticReconnect(ReliableApp.FastReconnect)
            .WithStatefulReconnect()
            .BuildReliable();
        var seen = new RecordingClient();
        connection.On(seen);
        await connection.StartAsync();
        await using var agent = await ProtocolSession.MessagePackAsync(server, server.AgentToken);

        var conversation = await connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "one" } });
        for (var i = 2; i <= 4; i++) await connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"message {i}" });
        var question = await agent.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "Pick", ContentType = "input_select", ContentAttributes = Choices,
        });
        var handed = await seen.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == question.Id);
        SameJson.Equal(Choices, handed.Message.ContentAttributes);
        await connection.SubmitValuesAsync(question.Id, Json("""[{"value":"salad"}]"""));
        await seen.WaitFor<Pushed.MessageUpdated>(m => m.Message.Id == question.Id);

        var created = seen.All<Pushed.MessageCreated>().Select(m => m.Message).Where(m => m.ConversationId == conversation.Id).ToList();
        SequenceAssert.OnceEachInSeqOrder(created);
        Assert.Equal(["one", "message 2", "message 3", "message 4", "Pick"], created.Select(m => m.Content));
    }

    [Fact]
    public async Task The_hub_answers_a_MessagePack_handshake_and_writes_maps_keyed_by_property_names()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        var protocol = new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions())); // SignalR's defaults, as any client
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {contact.PubsubToken}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws://{server.BaseUrl.Authority}{HubPaths.Chat}"), timeout.Token);

        await socket.SendAsync("{\"protocol\":\"messagepack\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        Assert.Equal("{}\u001e", Encoding.UTF8.GetString(await ReceiveAsync(socket, timeout.Token)));

        var start = new InvocationMessage("1", nameof(IChatHub.StartConversation), [new StartConversationRequest { Message = new NewMessage { Content = "raw" } }]);
        await socket.SendAsync(protocol.GetMessageBytes(start), WebSocketMessageType.Binary, true, timeout.Token);
        CompletionMessage? completion = null;
        while (completion is null)
        {
            var input = new ReadOnlySequence<byte>(await ReceiveAsync(socket, timeout.Token));
            while (protocol.TryParseMessage(ref input, new ObjectResults(), out var received))
            {
                completion ??= received as CompletionMessage; // pings may come first
            }
        }
        Assert.Null(completion.Error);
        var conversation = Assert.IsType<Dictionary<object, object>>(completion.Result);
        string[] keys = ["Id", "Uuid", "InboxId", "ContactId", "Status", "Seq", "CustomAttributes", "Messages"];
        Assert.Equal(keys, keys.Where(conversation.ContainsKey));
        Assert.Equal("open", conversation["Status"]);
        var message = Assert.IsType<Dictionary<object, object>>(Assert.Single((object[])conversation["Messages"]));
        Assert.Equal("raw", message["Content"]);
        Assert.False(message.ContainsKey("content"));
    }

    private static async Task<byte[]> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            buffer.Advance(result.Count);
        } while (!result.EndOfMessage);
        Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A client that knows no types: answers are read as plain MessagePack (maps, arrays, values).</summary>
    private sealed class ObjectResults : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(object)];
        public Type GetReturnType(string invocationId) => typeof(object);
        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
