using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases;

/// <summary>Every write has a budget per sender and action (RateLimits; contact creation per client address), in-process:
/// past it the call is rate_limited with when to retry, other senders and other actions are untouched, a retry of what
/// is stored already costs nothing, and Limits:RateLimitsEnabled=false turns every limit off.</summary>
public sealed class RateLimitTests
{
    private const int Burst = 400;

    private static Dictionary<string, string?> On(params (string Key, string Value)[] limits)
    {
        var settings = new Dictionary<string, string?> { [ChatServer.RateLimitsOn.Key] = "true" };
        foreach (var (key, value) in limits) settings[$"Limits:{key}"] = value;
        return settings;
    }

    [Fact]
    public async Task The_message_past_the_window_is_rate_limited_with_retry_after_while_others_and_other_actions_go_on()
    {
        await using var host = await UseCaseHost.StartAsync(On(("MessagesPerWindow", "3"), ("WindowSeconds", "60")));
        var flooder = await host.ContactAsync("Flooder");
        var conversation = await host.ConversationAsync(flooder, "one");
        await host.SayAsync(flooder, conversation.Id, "two");
        await host.SayAsync(flooder, conversation.Id, "three");

        var limited = await Refusal.Of(ErrorCodes.RateLimited, () => host.SayAsync(flooder, conversation.Id, "four"));
        Assert.InRange(limited.RetryAfter!.Value.TotalSeconds, 1, 60);
        Assert.Contains("too many messages", limited.Detail);
        Assert.Equal(3, (await host.MessagesAsync(flooder, conversation.Id)).Count);

        var patient = await host.ContactAsync("Patient");
        var others = await host.ConversationAsync(patient, "one");
        await host.SayAsync(patient, others.Id, "two");
        // The agents have budgets of their own.
        await host.SayAsync(host.Admin, conversation.Id, "reply 1");

        // Reading, typing and seen markers are not messages; a new conversation with a message is one.
        await host.Send(flooder, new MarkSeen(conversation.Id));
        await host.Ask(flooder, new SetTyping(conversation.Id, true));
        await host.MessagesAsync(flooder, conversation.Id);
        await Refusal.Of(ErrorCodes.RateLimited, () => host.ConversationAsync(flooder, "new one"));
        await host.ConversationAsync(flooder, firstMessage: null);
    }

    [Fact]
    public async Task A_retry_of_a_stored_message_or_start_is_answered_even_at_the_limit()
    {
        await using var host = await UseCaseHost.StartAsync(On(("MessagesPerWindow", "2"), ("WindowSeconds", "60")));
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "one");
        var second = await host.SayAsync(ann, conversation.Id, "two", echoId: "two");

        // The client lost the answer and retries: that is the same message, not a third one.
        Assert.Equal(second.Id, (await host.SayAsync(ann, conversation.Id, "two", echoId: "two")).Id);
        await Refusal.Of(ErrorCodes.RateLimited, () => host.SayAsync(ann, conversation.Id, "three", echoId: "three"));
        Assert.Equal(2, (await host.MessagesAsync(ann, conversation.Id)).Count);

        var other = await host.ContactAsync("Other");
        var started = await host.ConversationAsync(other, "hello", echoId: "start");
        await host.SayAsync(other, started.Id, "and more");
        Assert.Equal(started.Id, (await host.ConversationAsync(other, "hello", echoId: "start")).Id);
    }

    [Fact]
    public async Task Agents_have_message_budgets_of_their_own()
    {
        await using var host = await UseCaseHost.StartAsync(On(("MessagesPerWindow", "2"), ("WindowSeconds", "60")));
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "one");
        await host.SayAsync(ann, conversation.Id, "two");
        await host.SayAsync(host.Admin, conversation.Id, "reply 1");
        await host.SayAsync(host.Admin, conversation.Id, "reply 2");
        var limited = await Refusal.Of(ErrorCodes.RateLimited, () => host.SayAsync(host.Admin, conversation.Id, "reply 3"));
        Assert.NotNull(limited.RetryAfter);
        await host.SayAsync(await host.AgentAsync("Grace"), conversation.Id, "another agent");
    }

    [Fact]
    public async Task Bursts_of_every_other_write_are_limited_at_the_production_defaults_while_a_bystander_is_not()
    {
        await using var host = await UseCaseHost.StartAsync(On());
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var question = await host.SayAsync(host.Admin, conversation.Id, "Rate us", contentType: ContentTypes.InputCsat);
        var bystander = await host.ContactAsync("Bystander");
        var bystanders = await host.ConversationAsync(bystander, firstMessage: null);
        var peggy = await host.AgentAsync("Peggy");
        var quinn = await host.AgentAsync("Quinn");

        var calls = new (string Name, Caller Caller, Func<Caller, int, Task> Call)[]
        {
            ("MarkSeen", ann, (c, _) => host.Send(c, new MarkSeen(conversation.Id))),
            ("SetTyping", ann, (c, i) => host.Ask(c, new SetTyping(conversation.Id, i % 2 == 0))),
            ("StartConversation", ann, (c, _) => host.Send(c, new StartConversation(null, null))),
            ("UpdateContact", ann, (c, i) => host.Send(c, new UpdateContact(ContactFields.None with { Name = $"Ann {i}" }))),
            ("SubmitValues", ann, (c, i) => host.Send(c, new SubmitValues(question.Id, JsonDocument.Parse($$"""{"rating":{{i % 5 + 1}}}""").RootElement))),
            ("SetStatus", peggy, (c, i) => host.Send(c, new SetStatus(conversation.Id, i % 2 == 0 ? "pending" : "open"))),
            ("SetAvailability", quinn, (c, i) => host.Send(c, new SetAvailability(i % 2 == 0 ? "busy" : "online"))),
            ("AddMembers", host.Admin, (c, _) => host.Send(c, new AddMembers(1, [1]))),
        };
        foreach (var (name, caller, call) in calls)
        {
            var (accepted, limited) = (0, 0);
            for (var i = 0; i < Burst; i++)
            {
                try
                {
                    await call(caller, i);
                    accepted++;
                }
                catch (Common.ChatException e) when (e.Code == ErrorCodes.RateLimited)
                {
                    limited++;
                }
            }
            Assert.True(limited > 0, $"{name}: none of {Burst} was rate limited");
            Assert.True(accepted > 0, $"{name}: the first calls of a burst are within budget");
            // Meanwhile the bystander's conversation is unaffected.
            await host.SayAsync(bystander, bystanders.Id, $"after {name}");
        }
        Assert.Equal(calls.Length, (await host.MessagesAsync(bystander, bystanders.Id)).Count);
    }

    [Fact]
    public async Task Status_assignment_and_availability_changes_share_one_budget()
    {
        await using var host = await UseCaseHost.StartAsync(On(("ConversationChangesPerMinute", "2")));
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hello");
        var peggy = await host.AgentAsync("Peggy");
        await host.Send(peggy, new SetStatus(conversation.Id, "pending"));
        await host.Send(peggy, new SetStatus(conversation.Id, "open"));
        await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(peggy, new Assign(conversation.Id, null)));
        await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(peggy, new SetAvailability("online")));
        await host.Send(host.Admin, new Assign(conversation.Id, 1));
    }

    [Fact]
    public async Task Contact_creations_are_limited_per_client_address()
    {
        await using var host = await UseCaseHost.StartAsync(On(("ContactCreationsPerMinutePerAddress", "4")));
        for (var i = 0; i < 4; i++) await host.NewContactAsync($"visitor {i}", clientAddress: "203.0.113.7");
        var limited = await Refusal.Of(ErrorCodes.RateLimited, () => host.NewContactAsync("one too many", clientAddress: "203.0.113.7"));
        Assert.InRange(limited.RetryAfter!.Value.TotalSeconds, 1, 60);
        await host.NewContactAsync("next door", clientAddress: "203.0.113.8");
    }

    [Fact]
    public async Task Setting_RateLimitsEnabled_false_turns_every_limit_off()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:RateLimitsEnabled"] = "false", ["Limits:MessagesPerWindow"] = "1", ["Limits:SeenMarkersPerMinute"] = "1",
        });
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        for (var i = 0; i < 50; i++) await host.Send(ann, new MarkSeen(conversation.Id));
        var sent = new List<long>();
        for (var i = 0; i < 50; i++) sent.Add((await host.SayAsync(ann, conversation.Id, $"m{i}")).Id);
        Assert.Equal(sent, (await host.MessagesAsync(host.Admin, conversation.Id)).Where(m => m.Content.StartsWith('m')).Select(m => m.Id));
        for (var i = 0; i < 50; i++) await host.NewContactAsync($"visitor {i}");
    }
}
