using System.Text.Json;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Contacts;

/// <summary>UpdateContact's rules, in-process: a contact edits itself (PATCH semantics, attributes merged key by key, a
/// name never blanked), within the field limits; nobody else does.</summary>
public sealed class UpdateContactTests
{
    private static Dictionary<string, JsonElement> Attributes(object value) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(value))!;

    [Fact]
    public async Task Given_fields_change_custom_attributes_merge_and_the_change_is_published()
    {
        await using var host = await UseCaseHost.StartAsync();
        var carol = await host.ContactAsync("Carol", ContactFields.None with { Name = "Carol", CustomAttributes = Attributes(new { plan = "free", region = "eu" }) });

        var updated = await host.Send(carol, new UpdateContact(ContactFields.None with
        {
            Email = "carol@example.com", CustomAttributes = Attributes(new { plan = "pro" }),
        }));

        Assert.Equal(carol.Id, updated.Id);
        Assert.Equal(("Carol", "carol@example.com"), (updated.Name, updated.Email)); // not given: unchanged
        Assert.Equal(("pro", "eu"), (updated.CustomAttributes!["plan"].GetString(), updated.CustomAttributes["region"].GetString()));
        var reread = await host.Ask(carol, new GetContact());
        Assert.Equal(("carol@example.com", "pro"), (reread.Email, reread.CustomAttributes!["plan"].GetString()));
        Assert.Equal("carol@example.com", host.Events.OfType<ContactUpdated>().Single().Contact.Email);
    }

    [Fact]
    public async Task A_later_name_replaces_a_generated_one_and_an_empty_one_does_not_blank_it()
    {
        await using var host = await UseCaseHost.StartAsync();
        var contact = await host.ContactAsync(name: null);
        Assert.Equal("Zoe", (await host.Send(contact, new UpdateContact(ContactFields.None with { Name = "Zoe" }))).Name);
        Assert.Equal("Zoe", (await host.Send(contact, new UpdateContact(ContactFields.None with { Name = "" }))).Name);
        Assert.Equal("Zoe", (await host.Send(contact, new UpdateContact(ContactFields.None with { Name = "  " }))).Name);
    }

    [Fact]
    public async Task Only_the_contact_updates_itself_and_within_the_limits()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        await Refusal.Forbidden(() => host.Send(host.Admin, new UpdateContact(ContactFields.None with { Name = "x" })));
        await Refusal.Forbidden(() => host.Send(Identity.Caller.Anonymous, new UpdateContact(ContactFields.None with { Name = "x" })));
        await Refusal.Invalid("email", () => host.Send(ann, new UpdateContact(ContactFields.None with { Email = "not an email" })));
        await Refusal.Invalid("custom_attributes", () => host.Send(ann, new UpdateContact(ContactFields.None with
        {
            CustomAttributes = Attributes(new { blob = new string('x', 9 * 1024) }),
        })));
        // Each update within the limit, but merged over the limit in all: refused too.
        await host.Send(ann, new UpdateContact(ContactFields.None with { CustomAttributes = Attributes(new { a = new string('x', 5000) }) }));
        await Refusal.Invalid("custom_attributes", () => host.Send(ann, new UpdateContact(ContactFields.None with
        {
            CustomAttributes = Attributes(new { b = new string('y', 5000) }),
        })));
        Assert.Equal("Ann", (await host.Ask(ann, new GetContact())).Name);
    }
}
