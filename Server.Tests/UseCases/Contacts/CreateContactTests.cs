using System.Text.Json;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Contacts;

/// <summary>CreateContact's rules, in-process: the contact a customer gets (credentials, fields, a generated name), a
/// client-chosen source_id honoured only when it is free, the field limits, and the client API's credentials
/// (ContactCredentials: an inbox identifier and a source_id of that inbox).</summary>
public sealed class CreateContactTests
{
    private static Dictionary<string, JsonElement> Attributes(object value) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(value))!;

    [Fact]
    public async Task A_new_contact_has_credentials_of_its_own_and_every_field_it_was_given()
    {
        await using var host = await UseCaseHost.StartAsync();
        var contact = await host.NewContactAsync(fields: new ContactFields("cust-42", null, "Ann Smith", "ann@example.com", "+44 20 7946 0958",
            Attributes(new { plan = "gold", seats = 3 })));

        Assert.True(contact.Id > 0);
        Assert.False(string.IsNullOrEmpty(contact.SourceId));
        Assert.True(contact.PubsubToken.Length >= 22, "pubsub_token must carry >= 128 random bits");
        Assert.Equal(("Ann Smith", "ann@example.com", "+44 20 7946 0958", "cust-42", false),
            (contact.Name, contact.Email, contact.PhoneNumber, contact.Identifier, contact.HmacVerified));
        Assert.Equal("gold", contact.CustomAttributes!["plan"].GetString());
        Assert.Equal(3, contact.CustomAttributes["seats"].GetInt32());
        Assert.Equal(contact.Id, Assert.IsType<ContactCreated>(Assert.Single(host.Events)).Contact.Id);

        // The contact reads itself back, credentials included; nobody else reads it this way.
        var self = await host.CallerOfContactAsync(contact.Id);
        var read = await host.Ask(self, new GetContact());
        Assert.Equal((contact.Id, contact.SourceId, contact.PubsubToken, "Ann Smith"), (read.Id, read.SourceId, read.PubsubToken, read.Name));
        await Refusal.Forbidden(() => host.Ask(host.Admin, new GetContact()));
        await Refusal.Forbidden(() => host.Ask(Caller.Anonymous, new GetContact()));
    }

    [Fact]
    public async Task A_contact_without_a_name_gets_a_generated_one_that_the_agents_see_too()
    {
        await using var host = await UseCaseHost.StartAsync();
        var anonymous = await host.NewContactAsync(fields: ContactFields.None);
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", anonymous.Name); // as Chatwoot: a contact always has a name
        var withEmail = await host.NewContactAsync(fields: ContactFields.None with { Email = "anon@example.com" });
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", withEmail.Name);

        var caller = await host.CallerOfContactAsync(withEmail.Id);
        var conversation = await host.ConversationAsync(caller, "hello");
        Assert.Equal(withEmail.Name, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Messages.Single().Sender!.Name);
    }

    [Fact]
    public async Task A_free_client_chosen_source_id_is_honoured_and_a_taken_one_never_handed_out_again()
    {
        await using var host = await UseCaseHost.StartAsync();
        var credentials = host.Services.GetRequiredService<ContactCredentials>();
        var chosen = await host.NewContactAsync(fields: ContactFields.None with { Name = "Ann", SourceId = "device-42.ann@shop" });
        Assert.Equal("device-42.ann@shop", chosen.SourceId);
        Assert.Equal(chosen.Id, (await credentials.ResolveAsync(host.InboxIdentifier, "device-42.ann@shop")).Id);

        var second = await host.NewContactAsync(fields: ContactFields.None with { Name = "Mallory", SourceId = "device-42.ann@shop" });
        Assert.NotEqual(chosen.Id, second.Id);
        Assert.NotEqual("device-42.ann@shop", second.SourceId);
        Assert.NotEqual(chosen.PubsubToken, second.PubsubToken);
        Assert.Equal(chosen.Id, (await credentials.ResolveAsync(host.InboxIdentifier, "device-42.ann@shop")).Id);

        // Free in another inbox: the same source_id names another contact there.
        var other = await host.InboxAsync("Other");
        var there = await host.NewContactAsync(fields: ContactFields.None with { SourceId = "device-42.ann@shop" }, inboxIdentifier: other.Identifier);
        Assert.Equal("device-42.ann@shop", there.SourceId);
        Assert.NotEqual(chosen.Id, there.Id);
        Assert.Equal(there.Id, (await credentials.ResolveAsync(other.Identifier, "device-42.ann@shop")).Id);
    }

    [Fact]
    public async Task A_source_id_is_1_to_64_path_safe_characters_and_one_of_64_is_found_again()
    {
        // Creation once took up to 128 while every lookup stopped at 64: a contact made with 65 was never found again.
        await using var host = await UseCaseHost.StartAsync();
        var credentials = host.Services.GetRequiredService<ContactCredentials>();
        var longest = "L" + new string('6', 62) + "4";
        var contact = await host.NewContactAsync(fields: ContactFields.None with { Name = "Long", SourceId = longest });
        Assert.Equal(longest, contact.SourceId);
        Assert.Equal(contact.Id, (await credentials.ResolveAsync(host.InboxIdentifier, longest)).Id);

        var refused = await Refusal.Invalid("source_id", () => host.NewContactAsync(fields: ContactFields.None with { SourceId = longest + "5" }));
        Assert.Contains("1 to 64", refused.Errors!["source_id"][0]);
        await Refusal.NotFound(() => credentials.ResolveAsync(host.InboxIdentifier, longest + "5"));
        foreach (var bad in new[] { "", "has space", "a/b", "x?y" })
            await Refusal.Invalid("source_id", () => host.NewContactAsync(fields: ContactFields.None with { SourceId = bad }));
    }

    [Fact]
    public async Task The_client_apis_credentials_are_an_inbox_identifier_and_a_source_id_of_that_inbox()
    {
        await using var host = await UseCaseHost.StartAsync();
        var credentials = host.Services.GetRequiredService<ContactCredentials>();
        var ann = await host.NewContactAsync("Ann");
        var other = await host.InboxAsync("Other");
        var stranger = await host.NewContactAsync("Stranger", inboxIdentifier: other.Identifier);

        Assert.Equal(ann.Id, (await credentials.ResolveAsync(host.InboxIdentifier, ann.SourceId)).Id);
        await Refusal.NotFound(() => credentials.ResolveAsync(host.InboxIdentifier, stranger.SourceId)); // another inbox's
        await Refusal.NotFound(() => credentials.ResolveAsync(host.InboxIdentifier, "not-a-source-id"));
        await Refusal.NotFound(() => credentials.ResolveAsync(host.InboxIdentifier, new string('s', 3000)));
        await Refusal.NotFound(() => credentials.ResolveAsync(host.InboxIdentifier, "' OR 1=1 --"));
        foreach (var inbox in new[] { "no-such-inbox-identifier-000", new string('a', 5000) })
        {
            await Refusal.NotFound(() => credentials.ResolveAsync(inbox, ann.SourceId));
            await Refusal.NotFound(() => host.NewContactAsync(inboxIdentifier: inbox));
            await Refusal.NotFound(() => host.Ask(Caller.Anonymous, new Features.Inboxes.GetPublicInbox(inbox)));
        }
        Assert.Equal("Stranger", (await host.Ask(await credentials.ResolveAsync(other.Identifier, stranger.SourceId), new GetContact())).Name);
    }

    [Fact]
    public async Task Fields_are_held_to_their_formats_and_lengths()
    {
        await using var host = await UseCaseHost.StartAsync();
        Task Create(ContactFields fields) => host.NewContactAsync(fields: fields);

        await Refusal.Invalid("email", () => Create(ContactFields.None with { Email = "not-an-email" }));
        await Refusal.Invalid("phone_number", () => Create(ContactFields.None with { PhoneNumber = "call me maybe" }));
        await Refusal.Invalid("name", () => Create(ContactFields.None with { Name = new string('n', 256) }));
        await Refusal.Invalid("identifier", () => Create(ContactFields.None with { Identifier = new string('i', 256) }));
        await Refusal.Invalid("name", () => Create(ContactFields.None with { Name = "lone \uD800 surrogate" }));
        await Refusal.Invalid("custom_attributes", () => Create(ContactFields.None with { CustomAttributes = Attributes(new { blob = new string('x', 9 * 1024) }) }));
        await Refusal.Invalid("avatar_url", () => Create(ContactFields.None with { AvatarUrl = "javascript:alert(1)" }));
        Assert.Empty(host.Events);

        var withAvatar = await host.NewContactAsync(fields: ContactFields.None with { Name = "Ann", AvatarUrl = "https://example.com/ann.png" });
        Assert.Equal("https://example.com/ann.png", withAvatar.AvatarUrl);
        Assert.Equal("https://example.com/ann.png", (await host.Ask(await host.CallerOfContactAsync(withAvatar.Id), new GetContact())).AvatarUrl);
    }
}
