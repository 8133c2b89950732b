using System.Buffers;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Channels.Hub;
using ChatHub.Server.Tests.Infrastructure;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Every contract type with a JsonElement field round-trips through SignalR's MessagePack hub protocol set up
/// as both ends set it up (<see cref="HubMessagePack.WithJsonElements"/>), as an invocation argument the way calls and
/// pushes travel; the JsonElement formatter accepts exactly what JSON holds; and the coded-error wrapper keeps its
/// promises over MessagePack. The live hub over MessagePack: MessagePackHubTests.</summary>
public sealed class MessagePackContractsTests
{
    private static readonly MessagePackHubProtocol Protocol = new(Options.Create(Configured()));

    private static MessagePackHubProtocolOptions Configured()
    {
        var options = new MessagePackHubProtocolOptions();
        options.SerializerOptions = HubMessagePack.WithJsonElements(options.SerializerOptions);
        return options;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>Interactive content, custom attributes: every JSON kind, nesting, text that needs escaping in JSON,
    /// and integers at the edges of 64 bits.</summary>
    private static readonly JsonElement Rich = Json("""
        {"items":[{"title":"🍕 Pizza","value":"pizza"},{"title":"Ünïcödé \"quoted\" \\ \n\t","value":""}],
         "nested":{"deep":[[1,[2,[3]]]],"empty":{},"none":[]},
         "numbers":[0,-1,9223372036854775807,-9223372036854775808,18446744073709551615,1.5,-0.25,1e300,6.02e-23],
         "flags":[true,false,null],"":"empty key"}
        """);

    private static Dictionary<string, JsonElement> Attributes() => new() { ["plan"] = Json("\"gold\""), ["profile"] = Rich, ["seats"] = Json("3") };

    private static SenderDto Sender() => new()
    {
        Id = 7, Name = "Ann", Type = SenderTypes.Contact, Email = "ann@example.com", Identifier = "ann-1", CustomAttributes = Attributes(),
    };

    private static MessageDto Message() => new()
    {
        Id = 11, ConversationId = 5, Seq = 3, MessageType = MessageTypes.Outgoing, Content = "Pick one", ContentType = "input_select",
        ContentAttributes = Rich, EchoId = "e-1", Sender = Sender(), CreatedAt = 1_700_000_000, UpdatedAt = 1_700_000_001,
        Attachments = [new AttachmentDto { Id = 2, MessageId = 11, FileType = AttachmentFileTypes.Image, Extension = "png", DataUrl = "/attachments/x/a.png", ThumbUrl = "/attachments/x/a.png", FileSize = 10, FileName = "a.png" }],
    };

    private static ContactDto Contact() => new()
    {
        Id = 7, SourceId = "s", PubsubToken = "t", Name = "Ann", Email = "ann@example.com", CustomAttributes = Attributes(), HmacVerified = true,
    };

    private static ConversationDto Conversation() => new()
    {
        Id = 5, Uuid = "7d3c1c2e-0f7a-4a55-9d1e-3f1f4c8a2b10", InboxId = 1, ContactId = 7, Status = ConversationStatuses.Open, AssigneeId = 2, Seq = 3,
        CustomAttributes = Attributes(), ContactLastSeenAt = 1, CreatedAt = 2, LastActivityAt = 3, Messages = [Message(), Message() with { Id = 12, ContentAttributes = null }],
        CsatRating = 4, Contact = Contact(), Assignee = new SenderDto { Id = 2, Name = "Bob", Type = SenderTypes.Agent, Availability = Availabilities.Online },
    };

    /// <summary>Written and read back as SignalR does an invocation's argument (a call's or a push's).</summary>
    private static T RoundTrip<T>(T value)
    {
        var bytes = Protocol.GetMessageBytes(new InvocationMessage("Target", [value]));
        var input = new ReadOnlySequence<byte>(bytes);
        Assert.True(Protocol.TryParseMessage(ref input, new Binder(typeof(T)), out var message));
        if (message is InvocationBindingFailureMessage failure) failure.BindingFailure.Throw();
        return (T)Assert.IsType<InvocationMessage>(message).Arguments[0]!;
    }

    [Fact]
    public void Every_contract_with_JsonElement_fields_round_trips_unchanged()
    {
        SameJson.Equal(Rich, RoundTrip(Rich)); // SubmitValues' argument
        SameJson.Equal(Sender(), RoundTrip(Sender()));
        SameJson.Equal(Message(), RoundTrip(Message()));
        SameJson.Equal(Contact(), RoundTrip(Contact()));
        SameJson.Equal(Conversation(), RoundTrip(Conversation()));
        // ListConversations' answer, by the runtime types SignalR writes it with: a List, and a list a collection
        // expression made (a type of the compiler's own).
        IReadOnlyList<ConversationDto> list = new List<ConversationDto> { Conversation() }, made = [Conversation(), Conversation()];
        SameJson.Equal(list, RoundTrip(list));
        SameJson.Equal(made, RoundTrip(made));
        SameJson.Equal(made, ReadAs<IReadOnlyList<ConversationDto>>(Protocol.GetMessageBytes(CompletionMessage.WithResult("1", made))));
        var page = new GetMessagesResult { Conversation = Conversation(), Messages = [Message()], HasMore = true };
        SameJson.Equal(page, RoundTrip(page));
        var start = new StartConversationRequest { CustomAttributes = Attributes(), Message = new NewMessage { Content = "hi", EchoId = "e" } };
        SameJson.Equal(start, RoundTrip(start));
        var send = new SendMessageRequest { ConversationId = 5, Content = "x", ContentType = "form", ContentAttributes = Rich, Private = true, AttachmentIds = [1, 2] };
        SameJson.Equal(send, RoundTrip(send));
        var update = new UpdateContactRequest { Name = "Ann", CustomAttributes = Attributes() };
        SameJson.Equal(update, RoundTrip(update));
        var typing = new TypingEvent { ConversationId = 5, Sender = Sender(), IsTyping = true };
        SameJson.Equal(typing, RoundTrip(typing));

        // The exact values, not only "equal as JSON": the edges of 64 bits and the text.
        var numbers = RoundTrip(Message()).ContentAttributes!.Value.GetProperty("numbers");
        Assert.Equal(long.MaxValue, numbers[2].GetInt64());
        Assert.Equal(long.MinValue, numbers[3].GetInt64());
        Assert.Equal(ulong.MaxValue, numbers[4].GetUInt64());
        Assert.Equal(6.02e-23, numbers[8].GetDouble());
        Assert.Equal("Ünïcödé \"quoted\" \\ \n\t", RoundTrip(Rich).GetProperty("items")[1].GetProperty("title").GetString());
    }

    private static T ReadAs<T>(ReadOnlyMemory<byte> completion)
    {
        var input = new ReadOnlySequence<byte>(completion);
        Assert.True(Protocol.TryParseMessage(ref input, new Binder(typeof(T)), out var message));
        return (T)Assert.IsType<CompletionMessage>(message).Result!;
    }

    [Fact]
    public void Absent_and_null_attributes_stay_absent_and_null()
    {
        var none = RoundTrip(new MessageDto { Id = 1 });
        Assert.Null(none.ContentAttributes);
        Assert.Null(none.Sender);
        Assert.Empty(none.Attachments);
        // A JSON null in a JsonElement? reads back as no value, as over the JSON protocol.
        Assert.Null(RoundTrip(new MessageDto { ContentAttributes = Json("null") }).ContentAttributes);
        Assert.Equal(JsonValueKind.Null, RoundTrip(Json("null")).ValueKind);
        Assert.Null(RoundTrip(new ContactDto()).CustomAttributes);
        Assert.Empty(RoundTrip(new ContactDto { CustomAttributes = [] }).CustomAttributes!);
    }

    [Fact]
    public void Numbers_travel_as_integers_or_float64_and_a_number_past_float64_as_its_text()
    {
        var read = RoundTrip(Json("""[1.0, 1.50, 123456789012345678901234567890, 1e400]"""));
        Assert.Equal("1", read[0].GetRawText());
        Assert.Equal(1.5, read[1].GetDouble());
        Assert.Equal(1.2345678901234568e29, read[2].GetDouble()); // beyond 64 bits: float64's nearest
        Assert.Equal((JsonValueKind.String, "1e400"), (read[3].ValueKind, read[3].GetString()));
    }

    private delegate void Writing(ref MessagePackWriter writer);

    private static byte[] Packed(Writing write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Nested(ref MessagePackWriter writer, int levels)
    {
        for (var i = 0; i < levels; i++) writer.WriteArrayHeader(1);
        writer.Write(1);
    }

    /// <summary>Arrays <paramref name="levels"/> deep, parsed past System.Text.Json's default limit (as an app could).</summary>
    private static JsonElement Deep(int levels) =>
        JsonDocument.Parse(new string('[', levels) + "1" + new string(']', levels), new JsonDocumentOptions { MaxDepth = levels + 1 }).RootElement.Clone();

    [Fact]
    public void Reading_accepts_what_JSON_holds_and_refuses_the_rest()
    {
        var options = Configured().SerializerOptions;
        JsonElement Read(byte[] bytes) => MessagePackSerializer.Deserialize<JsonElement>(bytes, options);

        var deepest = Read(Packed((ref MessagePackWriter w) => Nested(ref w, JsonElementFormatter.MaxDepth)));
        Assert.Equal(JsonElementFormatter.MaxDepth, deepest.GetRawText().Count(c => c == '['));
        var refused = new Dictionary<string, byte[]>
        {
            ["deeper than JSON's limit"] = Packed((ref MessagePackWriter w) => Nested(ref w, JsonElementFormatter.MaxDepth + 1)),
            ["binary"] = Packed((ref MessagePackWriter w) => w.Write(new byte[] { 1, 2 })),
            ["an extension type"] = Packed((ref MessagePackWriter w) => w.Write(DateTime.UnixEpoch)),
            ["a map with an integer key"] = Packed((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write(1); w.Write("a"); }),
            ["NaN"] = Packed((ref MessagePackWriter w) => w.Write(double.NaN)),
            ["infinity"] = Packed((ref MessagePackWriter w) => w.Write(float.PositiveInfinity)),
        };
        foreach (var (what, bytes) in refused)
        {
            var error = Record.Exception(() => Read(bytes));
            Assert.True(error is MessagePackSerializationException, $"{what}: {error?.GetType().Name ?? "accepted"}");
        }
    }

    [Fact]
    public void An_invocation_whose_JsonElement_does_not_read_fails_to_bind_and_the_next_message_reads()
    {
        // SubmitValues(1, <too deep>) as a client writes it: SignalR reports a binding failure, which the hub answers
        // as a validation error (MessagePackHubTests), and the connection reads on.
        var framed = new ArrayBufferWriter<byte>();
        framed.Write(Protocol.GetMessageBytes(new InvocationMessage("1", "SubmitValues", [1L, Deep(JsonElementFormatter.MaxDepth + 1)])).Span);
        framed.Write(Protocol.GetMessageBytes(PingMessage.Instance).Span);
        var input = new ReadOnlySequence<byte>(framed.WrittenMemory);
        var binder = new Binder(typeof(long), typeof(JsonElement));

        Assert.True(Protocol.TryParseMessage(ref input, binder, out var first));
        Assert.Equal("SubmitValues", Assert.IsType<InvocationBindingFailureMessage>(first).Target);
        Assert.True(Protocol.TryParseMessage(ref input, binder, out var second));
        Assert.IsType<PingMessage>(second);
    }

    [Fact]
    public void The_coded_error_wrapper_recodes_errors_and_never_writes_half_a_message_over_MessagePack()
    {
        var coded = new CodedErrorHubProtocol(Protocol);
        Assert.Equal((HubMessagePack.ProtocolName, Microsoft.AspNetCore.Connections.TransferFormat.Binary), (coded.Name, coded.TransferFormat));

        CompletionMessage Completion(ReadOnlyMemory<byte> bytes)
        {
            var input = new ReadOnlySequence<byte>(bytes);
            Assert.True(Protocol.TryParseMessage(ref input, new Binder(typeof(MessageDto)), out var message));
            return Assert.IsType<CompletionMessage>(message);
        }

        // SignalR's wording of a HubException becomes the bare "code: detail".
        var refused = Completion(coded.GetMessageBytes(CompletionMessage.WithError("1",
            "An unexpected error occurred invoking 'SendMessage' on the server. HubException: validation: content must not be empty")));
        Assert.Equal("validation: content must not be empty", refused.Error);
        var unbound = Completion(coded.GetMessageBytes(CompletionMessage.WithError("2",
            "Failed to invoke 'SubmitValues' due to an error on the server. InvalidDataException: Error binding arguments.")));
        Assert.Equal("validation: the arguments do not match SubmitValues (count and types)", unbound.Error);

        // A value MessagePack cannot write (an undefined JsonElement, which JSON refuses too): an answer becomes an
        // "unavailable" error, a push is skipped whole.
        var unwritable = new MessageDto { Id = 1, ContentAttributes = default(JsonElement) };
        Assert.Equal("unavailable: the answer could not be written", Completion(coded.GetMessageBytes(CompletionMessage.WithResult("3", unwritable))).Error);
        Assert.True(coded.GetMessageBytes(new InvocationMessage("MessageCreated", [unwritable])).IsEmpty);
        var output = new ArrayBufferWriter<byte>();
        coded.WriteMessage(new InvocationMessage("MessageCreated", [unwritable]), output);
        Assert.Equal(0, output.WrittenCount);
        var written = Completion(coded.GetMessageBytes(CompletionMessage.WithResult("4", Message())));
        SameJson.Equal(Message(), written.Result);
    }

    [Fact]
    public void A_message_of_an_unknown_type_is_skipped_and_the_next_one_reads()
    {
        // [99] with its length prefix (2 bytes: fixarray of 1, fixint 99): MessagePack's protocol consumes it and
        // reports nothing, which SignalR's connection would take as "incomplete" forever; the wrapper moves on.
        var coded = new CodedErrorHubProtocol(Protocol);
        var framed = new ArrayBufferWriter<byte>();
        framed.Write(new byte[] { 0x02, 0x91, 0x63 });
        framed.Write(Protocol.GetMessageBytes(new InvocationMessage("7", "Ping", [1L])).Span);
        var input = new ReadOnlySequence<byte>(framed.WrittenMemory);
        var binder = new Binder(typeof(long));

        Assert.True(coded.TryParseMessage(ref input, binder, out var unknown));
        Assert.IsType<PingMessage>(unknown);
        Assert.True(coded.TryParseMessage(ref input, binder, out var next));
        Assert.Equal("Ping", Assert.IsType<InvocationMessage>(next).Target);
        Assert.False(coded.TryParseMessage(ref input, binder, out _));
    }

    /// <summary>Parameter types for every target, as a hub or client binder answers them.</summary>
    private sealed class Binder(params Type[] parameterTypes) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => parameterTypes;
        public Type GetReturnType(string invocationId) => parameterTypes[0];
        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
