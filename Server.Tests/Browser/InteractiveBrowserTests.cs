using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Interactive messages (Chatwoot's input_select, input_csat, form, cards) sent by an agent through the
/// agent API, answered by clicking in the widget (SubmitValues), and the answers in the console and the API.</summary>
public sealed class InteractiveBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly Dictionary<string, string?> ProductionLimits = new() { [ChatServer.RateLimitsOn.Key] = "true" };

    [Fact]
    public async Task Customer_answers_buttons_and_a_rating_in_the_widget_and_the_agent_sees_the_answers()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var (widget, console, conversationId) = await StartChatAsync(server, "Bea Buttons", "I have a question about my bill.");
        using var agentHttp = server.AgentHttp(server.AgentToken);

        var question = await SendAsync(agentHttp, conversationId, "What is it about?", "input_select",
            new { items = new[] { new { title = "Billing", value = "billing" }, new { title = "Shipping", value = "shipping" } } });
        var options = widget.Page.Locator("chathub-widget .interactive[data-content-type=input_select] button.option");
        await Expect(options).ToHaveTextAsync(["Billing", "Shipping"]);
        await Expect(console.Page.Locator(".interactive .answer.waiting")).ToHaveTextAsync("Waiting for the customer's answer");
        // A second tab of the customer learns the answer from the MessageUpdated push.
        var secondTab = new WidgetPage(await NewTabAsync("customer tab 2", widget.Page));
        await secondTab.Page.GotoAsync(widget.Page.Url);
        await secondTab.OpenAsync();
        await Expect(secondTab.Page.Locator("chathub-widget button.option")).ToHaveCountAsync(2);

        await options.Filter(new LocatorFilterOptions { HasText = "Billing" }).ClickAsync();
        await Expect(widget.Page.Locator("chathub-widget .interactive .answer")).ToHaveTextAsync("Chose: Billing");
        await Expect(options).ToHaveCountAsync(0);
        await Expect(secondTab.Page.Locator("chathub-widget .interactive .answer")).ToHaveTextAsync("Chose: Billing");
        await Expect(console.Page.Locator($".msg[data-message-id='{question}'] .interactive .answer")).ToHaveTextAsync("Chose: Billing");
        var answered = await MessageAsync(agentHttp, conversationId, question);
        Assert.Equal("billing", answered.GetProperty("content_attributes").GetProperty("submitted_values")[0].GetProperty("value").GetString());

        var survey = await SendAsync(agentHttp, conversationId, "How did we do?", "input_csat", new { });
        var csat = widget.Page.Locator("chathub-widget .interactive[data-content-type=input_csat]");
        await csat.Locator("button.rating[data-rating='4']").ClickAsync();
        await Expect(csat.Locator("button.rating[data-rating='4']")).ToHaveAttributeAsync("aria-pressed", "true");
        await csat.Locator("textarea").FillAsync("great");
        // A newer message regroups the rows: what the customer picked and typed stays.
        await SendAsync(agentHttp, conversationId, "Take your time.", "text", new { });
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("Take your time.");
        await Expect(csat.Locator("textarea")).ToHaveValueAsync("great");
        await Expect(csat.Locator("button.rating[data-rating='4']")).ToHaveAttributeAsync("aria-pressed", "true");
        await csat.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Submit rating" }).ClickAsync();
        await Expect(widget.Page.Locator("chathub-widget .interactive .answer").Last).ToHaveTextAsync("Rated 4/5: great");
        await Expect(console.Page.Locator($".msg[data-message-id='{survey}'] .interactive .answer")).ToHaveTextAsync("Rated 4/5: great");
        var rated = await MessageAsync(agentHttp, conversationId, survey);
        var response = rated.GetProperty("content_attributes").GetProperty("submitted_values").GetProperty("csat_survey_response");
        Assert.Equal(4, response.GetProperty("rating").GetInt32());
        Assert.Equal("great", response.GetProperty("feedback_message").GetString());
        await ScreenshotAsync(widget.Page, "interactive-widget");
        await ScreenshotAsync(console.Page, "interactive-console");

        // After a reload the answers come with the history, and no control is offered again.
        await widget.Page.ReloadAsync();
        await widget.OpenAsync();
        await Expect(widget.Page.Locator("chathub-widget .interactive .answer")).ToHaveTextAsync(["Chose: Billing", "Rated 4/5: great"]);
        await Expect(widget.Page.Locator("chathub-widget button.option, chathub-widget button.rating")).ToHaveCountAsync(0);
        await console.Page.ReloadAsync();
        await console.OpenAsync("Bea Buttons");
        await Expect(console.Page.Locator(".interactive .answer")).ToHaveTextAsync(["Chose: Billing", "Rated 4/5: great"]);
    }

    [Fact]
    public async Task A_form_and_an_email_request_render_in_the_widget_and_their_answers_reach_the_console()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var (widget, console, conversationId) = await StartChatAsync(server, "Fay Form", "Can I switch plans?");
        using var agentHttp = server.AgentHttp(server.AgentToken);

        var form = await SendAsync(agentHttp, conversationId, "A few details, please:", "form", new
        {
            items = new object[]
            {
                new { name = "order", label = "Order number", type = "text", placeholder = "e.g. 1001" },
                new { name = "plan", label = "Plan", type = "select", options = new[] { new { label = "Basic", value = "basic" }, new { label = "Pro", value = "pro" } } },
            },
        });
        var fields = widget.Page.Locator("chathub-widget .interactive[data-content-type=form]");
        await Expect(fields.Locator(".form-field > span")).ToHaveTextAsync(["Order number", "Plan"]);
        await fields.Locator("input[name=order]").FillAsync("1001");
        await fields.Locator("select[name=plan]").SelectOptionAsync("pro");
        await fields.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Submit" }).ClickAsync();
        await Expect(widget.Page.Locator("chathub-widget .interactive .answer")).ToHaveTextAsync("Answered: Order number: 1001, Plan: pro");
        await Expect(console.Page.Locator($".msg[data-message-id='{form}'] .interactive .answer")).ToHaveTextAsync("Answered: Order number: 1001, Plan: pro");
        var answered = await MessageAsync(agentHttp, conversationId, form);
        Assert.Equal("pro", answered.GetProperty("content_attributes").GetProperty("submitted_values")[1].GetProperty("value").GetString());

        var ask = await SendAsync(agentHttp, conversationId, "Where can we reach you?", "input_email", new { });
        var email = widget.Page.Locator("chathub-widget .interactive[data-content-type=input_email]");
        await email.Locator("input[type=email]").FillAsync("fay@example.com");
        await email.Locator("input[type=email]").PressAsync("Enter");
        await Expect(console.Page.Locator($".msg[data-message-id='{ask}'] .interactive .answer")).ToHaveTextAsync("Email: fay@example.com");
        var given = await MessageAsync(agentHttp, conversationId, ask);
        Assert.Equal("fay@example.com", given.GetProperty("content_attributes").GetProperty("submitted_values").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Cards_render_in_the_widget_with_their_links()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var (widget, console, conversationId) = await StartChatAsync(server, "Cal Cards", "What coffee do you recommend?");
        using var agentHttp = server.AgentHttp(server.AgentToken);

        await SendAsync(agentHttp, conversationId, "Two favourites:", "cards", new
        {
            items = new object[]
            {
                new { media_url = new Uri(server.BaseUrl, "/no-such-image.png").ToString(), title = "Ethiopia Guji", description = "Floral and sweet",
                      actions = new object[] { new { type = "link", text = "View Guji", uri = "https://example.com/guji" } } },
                new { title = "Colombia Huila", description = "Chocolate and caramel",
                      actions = new object[] { new { type = "link", text = "Bad link", uri = "javascript:alert(1)" } } },
            },
        });
        var cards = widget.Page.Locator("chathub-widget .interactive[data-content-type=cards] .card");
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(cards.Locator(".card-title")).ToHaveTextAsync(["Ethiopia Guji", "Colombia Huila"]);
        await Expect(cards.First.Locator("img.card-media")).ToHaveCountAsync(1);
        var link = cards.First.Locator("a.card-button");
        await Expect(link).ToHaveTextAsync("View Guji");
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/guji");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Expect(link).ToHaveAttributeAsync("rel", new Regex(@"\bnoopener\b"));
        await Expect(cards.Nth(1).Locator("a")).ToHaveCountAsync(0); // a javascript: link is never rendered
        await Expect(console.Page.Locator(".interactive-kind").Last).ToHaveTextAsync("Cards: Ethiopia Guji · Colombia Huila");
        await ScreenshotAsync(widget.Page, "cards-widget");
    }

    /// <summary>A customer starts a conversation in the widget, the agent opens it in the console.</summary>
    private async Task<(WidgetPage Widget, ConsolePage Console, long ConversationId)> StartChatAsync(ChatServer server, string name, string first)
    {
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1100, 820), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync(name);
        await widget.SendAndWaitAsync(first);
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        await console.OpenAsync(name);
        using var agentHttp = server.AgentHttp(server.AgentToken);
        var list = await agentHttp.GetRead<JsonElement>("/api/v1/conversations?status=all");
        return (widget, console, list.GetProperty("data")[0].GetProperty("id").GetInt64());
    }

    /// <summary>An agent's interactive message through the agent API; returns its id.</summary>
    private static async Task<long> SendAsync(HttpClient agentHttp, long conversationId, string content, string contentType, object attributes)
    {
        var message = await agentHttp.PostRead<JsonElement>($"/api/v1/conversations/{conversationId}/messages",
            new { content, content_type = contentType, content_attributes = attributes });
        return message.GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> MessageAsync(HttpClient agentHttp, long conversationId, long messageId)
    {
        var messages = await agentHttp.GetRead<JsonElement>($"/api/v1/conversations/{conversationId}/messages?limit=100");
        var list = messages.ValueKind == JsonValueKind.Array ? messages : messages.GetProperty("payload");
        return list.EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == messageId);
    }
}
