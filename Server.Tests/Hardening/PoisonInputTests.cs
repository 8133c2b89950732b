using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Data.Sqlite;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>One bad character must not break an inbox: a lone UTF-16 surrogate (or a NUL) anywhere a value enters
/// the store is a validation error, over REST and the hub, and everyone connected carries on.</summary>
public sealed class PoisonInputTests
{
    // JSON text as an attacker sends it: the escape of a lone high surrogate, which no UTF-8 writer can write back.
    private const string Lone = "\\ud800";

    [Fact]
    public async Task A_lone_surrogate_in_an_agents_content_attributes_is_refused_and_the_inbox_carries_on()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var admin = scene.Server.AdminHttp();

        var rest = await admin.PostAsync($"{AgentConversationPath(conversation.Id)}/messages",
            RawJson($$$"""{"content":"x","content_attributes":{"a":"{{{Lone}}}"}}"""));
        await rest.AssertValidation("content_attributes");
        var restKey = await admin.PostAsync($"{AgentConversationPath(conversation.Id)}/messages",
            RawJson($$$"""{"content":"x","content_attributes":{"{{{Lone}}}":1}}"""));
        await restKey.AssertValidation("content_attributes");
        var restNul = await admin.PostAsync($"{AgentConversationPath(conversation.Id)}/messages",
            RawJson("""{"content":"x","content_attributes":{"a":"nul \u0000 here"}}"""));
        await restNul.AssertValidation("content_attributes");

        await using (var raw = await RawHubSocket.ConnectAsync(scene.Server.BaseUrl, scene.Server.AgentToken))
        {
            var hub = await raw.InvokeAsync("1", $$$"""{"type":1,"invocationId":"1","target":"SendMessage","arguments":[{"conversationId":{{{conversation.Id}}},"content":"x","contentAttributes":{"a":"{{{Lone}}}"}}]}""");
            Assert.StartsWith("validation: ", hub!.Error);
            var nested = await raw.InvokeAsync("2", $$$"""{"type":1,"invocationId":"2","target":"SendMessage","arguments":[{"conversationId":{{{conversation.Id}}},"content":"x","contentAttributes":{"a":[{"b":"ok \ud83d\ude00 {{{Lone}}}"}]}}]}""");
            Assert.StartsWith("validation: ", nested!.Error);
            var fine = await raw.InvokeAsync("3", $$$"""{"type":1,"invocationId":"3","target":"SendMessage","arguments":[{"conversationId":{{{conversation.Id}}},"content":"pair \ud83d\ude00 is fine","contentAttributes":{"a":"\ud83d\ude00"}}]}""");
            Assert.Null(fine!.Error);
        }

        // Nothing bad was stored: every read of the conversation works, for the customer and the agents...
        Assert.Equal(["hello", "pair 😀 is fine"], (await scene.Server.MessagesAsContact(scene.Contact, conversation.Id)).Select(m => m.Content));
        Assert.Equal(2, (await admin.MessagesAsAgent(conversation.Id)).Count);
        Assert.Single((await admin.ListAsAgent()).Data);
        var viaHub = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Equal("😀", viaHub.Messages[^1].ContentAttributes!.Value.GetProperty("a").GetString());

        // ...and both bystanders are still connected and served.
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "still here" });
        await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        var question = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "me too" });
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == question.Id);
    }

    [Fact]
    public async Task Lone_surrogates_from_a_customer_are_validation_errors_never_500s()
    {
        await using var scene = await ChatScene.StartAsync();
        var server = scene.Server;
        var http = server.Http;
        var conversation = await scene.StartConversation("hello");
        var question = await server.AdminHttp().SendAsAgent(conversation.Id, "Pick one", contentType: "input_select",
            contentAttributes: new { items = new[] { new { title = "A", value = "a" } } });

        var answers = new (string What, HttpResponseMessage Response)[]
        {
            ("contact create", await http.PostAsync($"{server.ClientApi}/contacts", RawJson($$$"""{"name":"x","custom_attributes":{"a":"{{{Lone}}}"}}"""))),
            ("contact create name", await http.PostAsync($"{server.ClientApi}/contacts", RawJson($$$"""{"name":"x{{{Lone}}}"}"""))),
            ("contact patch", await http.PatchAsync(server.ContactPath(scene.Contact), RawJson($$$"""{"custom_attributes":{"a":"{{{Lone}}}"}}"""))),
            ("conversation create", await http.PostAsync($"{server.ContactPath(scene.Contact)}/conversations",
                RawJson($$$"""{"custom_attributes":{"a":"{{{Lone}}}"}}"""))),
            ("message content", await http.PostAsync($"{server.ConversationPath(scene.Contact, conversation.Id)}/messages",
                RawJson($$$"""{"content":"x{{{Lone}}}"}"""))),
            ("submitted_values", await http.PatchAsync($"{server.ConversationPath(scene.Contact, conversation.Id)}/messages/{question.Id}",
                RawJson($$$"""{"submitted_values":[{"title":"A","value":"{{{Lone}}}"}]}"""))),
        };
        foreach (var (what, response) in answers)
        {
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
                $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var problem = await response.Problem();
            Assert.Equal(ErrorCodes.Validation, problem.GetProperty("title").GetString());
        }

        await using var raw = await RawHubSocket.ConnectAsync(server.BaseUrl, scene.Contact.PubsubToken);
        var frames = new[]
        {
            $$$"""{"type":1,"invocationId":"1","target":"UpdateContact","arguments":[{"customAttributes":{"a":"{{{Lone}}}"}}]}""",
            $$$"""{"type":1,"invocationId":"2","target":"StartConversation","arguments":[{"customAttributes":{"a":"{{{Lone}}}"}}]}""",
            $$$"""{"type":1,"invocationId":"3","target":"SubmitValues","arguments":[{{{question.Id}}},[{"value":"{{{Lone}}}"}]]}""",
            $$$"""{"type":1,"invocationId":"4","target":"UpdateContact","arguments":[{"name":"x{{{Lone}}}"}]}""",
        };
        for (var i = 0; i < frames.Length; i++)
        {
            var answer = await raw.InvokeAsync($"{i + 1}", frames[i]);
            Assert.True(answer?.Error?.StartsWith("validation: ") == true, $"frame {i + 1}: {answer?.Error ?? "closed"}");
        }
        Assert.False(raw.IsClosed);

        // Nothing was stored: the contact and its conversations read as before.
        var contact = await http.GetRead<ContactDto>(server.ContactPath(scene.Contact));
        Assert.True(contact.CustomAttributes is null || contact.CustomAttributes.Count == 0);
        Assert.Single(await http.GetRead<List<ConversationDto>>($"{server.ContactPath(scene.Contact)}/conversations"));
        var stillAsked = (await server.MessagesAsContact(scene.Contact, conversation.Id)).Single(m => m.Id == question.Id);
        Assert.False(stillAsked.ContentAttributes!.Value.TryGetProperty("submitted_values", out _));
    }

    [Fact]
    public async Task A_value_stored_before_validation_existed_is_repaired_when_read_not_fatal()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var note = await scene.Server.AdminHttp().SendAsAgent(conversation.Id, "old row", contentAttributes: new { a = "placeholder" });

        // As an older ChatHub (or a hand edit) may have left it: the raw escape of a lone surrogate in the row.
        await using (var db = new SqliteConnection($"Data Source={scene.Server.DbPath}"))
        {
            await db.OpenAsync();
            var update = db.CreateCommand();
            update.CommandText = "UPDATE messages SET content_attributes = $json WHERE id = $id";
            update.Parameters.AddWithValue("$json", $$$"""{"a":"x{{{Lone}}}y"}""");
            update.Parameters.AddWithValue("$id", note.Id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var messages = await scene.Server.MessagesAsContact(scene.Contact, conversation.Id);
        Assert.Equal("x\uFFFDy", messages.Single(m => m.Id == note.Id).ContentAttributes!.Value.GetProperty("a").GetString());
        var viaHub = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Contains(viaHub.Messages, m => m.Id == note.Id);
        Assert.Single((await scene.Server.AdminHttp().ListAsAgent()).Data);
    }
}
