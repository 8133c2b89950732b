using System.Net;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>Every write has a budget per sender (contact creation: per client address), with the production
/// defaults, and one sender's flood never slows anyone else.</summary>
public sealed class RateLimitTests
{
    private const int Burst = 400;

    private static readonly Dictionary<string, string?> Defaults = new() { [ChatServer.RateLimitsOn.Key] = "true" };

    [Fact]
    public async Task Bursts_of_each_mutating_hub_call_from_one_customer_are_rate_limited_while_a_bystander_flows()
    {
        await using var scene = await ChatScene.StartAsync(Defaults);
        var hub = scene.Customer.Hub;
        var conversation = await scene.StartConversation("hello");
        var bystander = await scene.Server.CreateContact("Bystander");
        await using var bystanderSession = await scene.ConnectAsync(bystander.PubsubToken);
        var bystanderConversation = await bystanderSession.Hub.StartConversationAsync(new StartConversationRequest());

        var calls = new (string Name, Func<int, Task> Call)[]
        {
            ("MarkSeen", _ => hub.MarkSeenAsync(conversation.Id)),
            ("SetTyping", i => hub.SetTypingAsync(conversation.Id, i % 2 == 0)),
            ("StartConversation", _ => hub.StartConversationAsync(new StartConversationRequest())),
            ("UpdateContact", i => hub.UpdateContactAsync(new UpdateContactRequest { Name = $"Ann {i}" })),
        };
        var bystanderSent = 0;
        foreach (var (name, call) in calls)
        {
            var (accepted, limited) = (0, 0);
            for (var i = 0; i < Burst; i++)
            {
                try
                {
                    await call(i);
                    accepted++;
                }
                catch (ChatHubException e) when (e.Code == ErrorCodes.RateLimited)
                {
                    limited++;
                }
            }
            Assert.True(limited > 0, $"{name}: none of {Burst} was rate limited");
            Assert.True(accepted > 0, $"{name}: the first calls of a burst are within budget");
            Assert.Equal(Burst, accepted + limited);

            // Meanwhile the bystander's conversation is unaffected.
            var sent = await bystanderSession.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = bystanderConversation.Id, Content = $"after {name}" });
            bystanderSent++;
            await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        }
        Assert.Equal(4, bystanderSent);
        Assert.Equal("connected", HubConnectionState(scene.Customer)); // flooding is refused, not punished
    }

    [Fact]
    public async Task A_burst_of_contact_creations_from_one_address_gets_429s_with_Retry_After()
    {
        await using var server = await ChatServer.StartAsync(settings: Defaults);
        var (created, limited) = (0, 0);
        TimeSpan? retryAfter = null;
        for (var i = 0; i < Burst; i++)
        {
            using var response = await server.Http.PostJson($"{server.ClientApi}/contacts", new { name = $"visitor {i}" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited++;
                retryAfter ??= response.Headers.RetryAfter?.Delta;
                var problem = await response.Problem();
                Assert.Equal(ErrorCodes.RateLimited, problem.GetProperty("title").GetString());
            }
            else
            {
                response.EnsureSuccessStatusCode();
                created++;
            }
        }
        Assert.True(limited > 0 && created > 0, $"created {created}, limited {limited}");
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task Setting_RateLimitsEnabled_false_turns_every_limit_off()
    {
        await using var scene = await ChatScene.StartAsync(new Dictionary<string, string?> { ["Limits:RateLimitsEnabled"] = "false" });
        var conversation = await scene.StartConversation("hello");
        // Far past the production budgets (120 seen markers a minute, 20 messages per 10 s): every call is answered.
        for (var i = 0; i < Burst; i++) await scene.Customer.Hub.MarkSeenAsync(conversation.Id);
        var sent = new List<long>();
        for (var i = 0; i < 50; i++)
            sent.Add((await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"m{i}" })).Id);

        Assert.Equal(50, sent.Distinct().Count());
        var stored = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Limit = 100 });
        Assert.Equal(sent, stored.Messages.Where(m => m.Content.StartsWith('m')).Select(m => m.Id));
    }

    private static string HubConnectionState(HubSession session) => session.Connection.State.ToString().ToLowerInvariant();
}
