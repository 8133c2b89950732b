using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Inboxes;

/// <summary>An inbox's pre-chat form (issue 25): an administrator sets it (validated), the widget reads it in the public
/// inbox, and a contact of an inbox whose form is on starts a conversation only with its required fields answered
/// (checked on the server, whatever the client), each answer checked against its field.</summary>
public sealed class PreChatFormTests
{
    private static readonly PreChatFormOptionsDto Form = new()
    {
        PreChatMessage = "Tell us who you are",
        PreChatFields =
        [
            new() { Name = PreChatFields.Email, FieldType = PreChatFields.Standard, Type = "email", Label = "Email", Required = true, Enabled = true },
            new() { Name = PreChatFields.Name, FieldType = PreChatFields.Standard, Type = "text", Label = "Name", Required = true, Enabled = true },
            new() { Name = PreChatFields.Phone, FieldType = PreChatFields.Standard, Type = "text", Required = true, Enabled = false },
            new() { Name = "plan", FieldType = PreChatFields.ContactAttribute, Type = "list", Label = "Plan", Required = true, Enabled = true, Values = ["free", "pro"] },
            new() { Name = "order_no", FieldType = PreChatFields.ConversationAttribute, Type = "number", Label = "Order", Enabled = true },
        ],
    };

    private static UpdateInbox Set(bool? enabled, PreChatFormOptionsDto? form) =>
        new(UseCaseHost.InboxId, null, null, null, null, null, null, PreChatFormEnabled: enabled, PreChatFormOptions: form);

    private static Dictionary<string, JsonElement> Attributes(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public async Task The_form_is_set_by_an_administrator_kept_and_shown_in_the_public_inbox()
    {
        await using var host = await UseCaseHost.StartAsync();
        var before = await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier));
        Assert.False(before.PreChatFormEnabled);
        Assert.Equal([PreChatFields.Email, PreChatFields.Name, PreChatFields.Phone], before.PreChatFormOptions.PreChatFields.Select(f => f.Name));

        var saved = await host.Send(host.Admin, Set(true, Form));
        Assert.True(saved.PreChatFormEnabled);
        var shown = await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier));
        Assert.True(shown.PreChatFormEnabled);
        Assert.Equal("Tell us who you are", shown.PreChatFormOptions.PreChatMessage);
        Assert.Equal(Form.PreChatFields.Select(f => (f.Name, f.Required, f.Enabled)), shown.PreChatFormOptions.PreChatFields.Select(f => (f.Name, f.Required, f.Enabled)));
        Assert.Equal(["free", "pro"], shown.PreChatFormOptions.PreChatFields.Single(f => f.Name == "plan").Values!);

        // Turning it off keeps the fields for next time.
        await host.Send(host.Admin, Set(false, null));
        var off = await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier));
        Assert.False(off.PreChatFormEnabled);
        Assert.Equal(5, off.PreChatFormOptions.PreChatFields.Count);
    }

    [Fact]
    public async Task A_form_that_does_not_make_sense_is_refused_and_only_administrators_set_it()
    {
        await using var host = await UseCaseHost.StartAsync();
        PreChatFieldDto Custom(string name) => new() { Name = name, FieldType = PreChatFields.ContactAttribute, Type = "text", Label = name, Enabled = true };

        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields[0].name",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = [Custom("no spaces")] })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields[0].name",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = [new() { Name = "nickname", FieldType = PreChatFields.Standard, Type = "text" }] })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields[0].type",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = [Custom("a") with { Type = "password" }] })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields[0].values",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = [Custom("a") with { Type = "list" }] })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = Enumerable.Range(0, 21).Select(i => Custom($"f{i}")).ToList() })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = [Custom("a"), Custom("a")] })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_message",
            () => host.Send(host.Admin, Set(true, new() { PreChatMessage = new string('x', 1025) })));
        await Refusal.Invalid("pre_chat_form_options.pre_chat_fields[0].label",
            () => host.Send(host.Admin, Set(true, new() { PreChatFields = [Custom("a") with { Label = new string('x', 256) }] })));

        var agent = await host.AgentAsync();
        await Refusal.Forbidden(() => host.Send(agent, Set(true, Form)));
        Assert.False((await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier))).PreChatFormEnabled);
    }

    [Fact]
    public async Task A_conversation_starts_only_with_the_required_answers_each_checked_against_its_field()
    {
        await using var host = await UseCaseHost.StartAsync();
        await host.Send(host.Admin, Set(true, Form));
        var start = (Caller contact, string attributes) =>
            host.Send(contact, new StartConversation(Attributes(attributes), new NewMessage { Content = "hi", EchoId = Guid.NewGuid().ToString() }));

        // Nothing given (the contact's generated name does not answer "Name"): refused, naming the field.
        var nobody = await host.ContactAsync(name: null);
        var refused = await Refusal.Invalid(PreChatFields.Email, () => start(nobody, "{}"));
        Assert.Contains("Email", refused.Detail);

        var noPlan = await host.ContactAsync(fields: ContactFields.None with { Name = "Ann", Email = "ann@example.com" });
        await Refusal.Invalid("plan", () => start(noPlan, "{}"));
        var wrongPlan = await host.ContactAsync(fields: ContactFields.None with
            { Name = "Ann", Email = "ann@example.com", CustomAttributes = Attributes("""{"plan":"gold"}""") });
        await Refusal.Invalid("plan", () => start(wrongPlan, "{}"));

        var ann = await host.ContactAsync(fields: ContactFields.None with
            { Name = "Ann", Email = "ann@example.com", CustomAttributes = Attributes("""{"plan":"pro"}""") });
        await Refusal.Invalid("order_no", () => start(ann, """{"order_no":"twelve"}"""));
        await Refusal.Invalid("order_no", () => start(ann, $$"""{"order_no":"{{new string('1', 1025)}}"}"""));
        var started = await start(ann, """{"order_no":"42"}""");
        Assert.Equal("42", started.CustomAttributes!["order_no"].GetString());
        Assert.Empty(await host.Store.ReadAsync(r => r.ListConversationsOfContactAsync(nobody.Id)));

        // With the form off, anyone starts.
        await host.Send(host.Admin, Set(false, null));
        Assert.Equal("open", (await start(nobody, "{}")).Status);
    }
}
