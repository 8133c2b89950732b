using ChatHub.Contracts;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Contacts;

/// <summary>API.md "HMAC identity validation", in-process: identifier_hash = lowercase hex HMAC-SHA256(inbox hmac_token,
/// identifier). A valid hash verifies the contact and gets that person's contact back on a new device; nothing else
/// ever hands out a verified contact; an HMAC-mandatory inbox takes verified contacts only.</summary>
public sealed class HmacIdentityTests
{
    private static ContactFields Signed(string hmacToken, string identifier, string? name = null) =>
        ContactFields.None with { Identifier = identifier, IdentifierHash = Tokens.IdentifierHash(hmacToken, identifier), Name = name };

    [Fact]
    public void The_hash_is_lowercase_hex_hmac_sha256_of_the_identifier_keyed_by_the_hmac_token_and_case_blind_to_check()
    {
        var hash = Tokens.IdentifierHash("key", "user-1");
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "user-1"u8)), hash);
        Assert.True(Tokens.IsValidIdentifierHash("key", "user-1", hash.ToUpperInvariant()));
        Assert.False(Tokens.IsValidIdentifierHash("key", "", hash));
        Assert.False(Tokens.IsValidIdentifierHash("key", "user-1", null));
    }

    [Fact]
    public async Task A_valid_hash_verifies_the_contact_and_the_same_identifier_signed_again_gets_it_back()
    {
        await using var host = await UseCaseHost.StartAsync();
        var phone = await host.NewContactAsync(fields: Signed(host.HmacToken, "user-2002", "Walt"));
        Assert.True(phone.HmacVerified);
        Assert.Equal("user-2002", phone.Identifier);
        var conversation = await host.ConversationAsync(await host.CallerOfContactAsync(phone.Id), "from my phone");

        var laptop = await host.NewContactAsync(fields: Signed(host.HmacToken, "user-2002"));
        Assert.Equal((phone.Id, phone.SourceId, phone.PubsubToken, "Walt", true),
            (laptop.Id, laptop.SourceId, laptop.PubsubToken, laptop.Name, laptop.HmacVerified)); // fields not given are kept
        var mine = await host.Ask(await host.CallerOfContactAsync(laptop.Id), new ListConversations(null, null, null, null));
        Assert.Equal([conversation.Id], mine.Conversations.Select(c => c.Id));
        Assert.Single(host.Events.OfType<Application.Events.ContactUpdated>()); // the second device updated, not created
    }

    [Fact]
    public async Task The_same_identifier_without_a_valid_hash_never_gets_the_verified_contact()
    {
        await using var host = await UseCaseHost.StartAsync();
        var verified = await host.NewContactAsync(fields: Signed(host.HmacToken, "user-3003", "Xena"));
        await host.ConversationAsync(await host.CallerOfContactAsync(verified.Id), "private matter");

        var impostors = new List<ContactDto>();
        foreach (var hash in new[] { null, "", new string('0', 64), Tokens.IdentifierHash("wrong-key", "user-3003"), Tokens.IdentifierHash(host.HmacToken, "user-3004") })
        {
            var impostor = await host.NewContactAsync(fields: ContactFields.None with { Identifier = "user-3003", IdentifierHash = hash });
            Assert.NotEqual(verified.Id, impostor.Id);
            Assert.NotEqual(verified.SourceId, impostor.SourceId);
            Assert.NotEqual(verified.PubsubToken, impostor.PubsubToken);
            Assert.False(impostor.HmacVerified);
            Assert.NotEqual(verified.Name, impostor.Name); // a generated name of its own, never the verified person's
            Assert.Empty((await host.Ask(await host.CallerOfContactAsync(impostor.Id), new ListConversations(null, null, null, null))).Conversations);
            impostors.Add(impostor);
        }
        Assert.Equal(impostors.Count, impostors.Select(c => c.Id).Distinct().Count());

        // A later valid hash still finds the verified person, not an unverified namesake.
        Assert.Equal(verified.Id, (await host.NewContactAsync(fields: Signed(host.HmacToken, "user-3003"))).Id);
    }

    [Fact]
    public async Task An_unverified_contact_first_does_not_capture_a_later_verified_identity()
    {
        await using var host = await UseCaseHost.StartAsync();
        var squatter = await host.NewContactAsync(fields: ContactFields.None with { Identifier = "user-4004", Name = "Squatter" });
        var real = await host.NewContactAsync(fields: Signed(host.HmacToken, "user-4004"));
        Assert.NotEqual(squatter.Id, real.Id);
        Assert.True(real.HmacVerified);
        Assert.NotEqual("Squatter", real.Name);
    }

    [Fact]
    public async Task An_hmac_mandatory_inbox_takes_only_contacts_signed_with_its_own_key_and_an_identifier_change_needs_its_hash()
    {
        await using var host = await UseCaseHost.StartAsync();
        var inbox = await host.InboxAsync("Secure", hmacMandatory: true);
        Assert.True(inbox.HmacMandatory);

        foreach (var fields in new[]
        {
            ContactFields.None with { Name = "anon" }, ContactFields.None, ContactFields.None with { Identifier = "u-1" },
            Signed(host.HmacToken, "u-1"), // signed with another inbox's key
        })
            await Refusal.Unauthorized(() => host.NewContactAsync(fields: fields, inboxIdentifier: inbox.Identifier));

        var contact = await host.NewContactAsync(fields: Signed(inbox.HmacToken, "u-1", "Yuri"), inboxIdentifier: inbox.Identifier);
        Assert.True(contact.HmacVerified);
        var yuri = await host.CallerOfContactAsync(contact.Id);
        var renamed = await host.Send(yuri, new UpdateContact(ContactFields.None with { Name = "Yuri B." }));
        Assert.Equal(("Yuri B.", true), (renamed.Name, renamed.HmacVerified));

        await Refusal.Unauthorized(() => host.Send(yuri, new UpdateContact(ContactFields.None with { Identifier = "u-2" })));
        Assert.Equal("u-1", (await host.Ask(yuri, new GetContact())).Identifier);
        var moved = await host.Send(yuri, new UpdateContact(Signed(inbox.HmacToken, "u-2")));
        Assert.Equal(("u-2", true), (moved.Identifier, moved.HmacVerified));

        Assert.Equal(inbox.Id, (await host.ConversationAsync(yuri, "hi")).InboxId);
        Assert.True((await host.Ask(Caller.Anonymous, new GetPublicInbox(inbox.Identifier))).IdentityValidationEnabled);
    }

    [Fact]
    public async Task A_new_identifier_with_a_valid_hash_verifies_and_without_one_unverifies_on_an_optional_inbox()
    {
        await using var host = await UseCaseHost.StartAsync();
        var zed = await host.ContactAsync("Zed");
        Assert.False((await host.Ask(zed, new GetContact())).HmacVerified);

        var verified = await host.Send(zed, new UpdateContact(Signed(host.HmacToken, "zed-1")));
        Assert.Equal((zed.Id, true), (verified.Id, verified.HmacVerified));
        Assert.True((await host.Send(zed, new UpdateContact(ContactFields.None with { Email = "zed@example.com" }))).HmacVerified);
        var unproven = await host.Send(zed, new UpdateContact(ContactFields.None with { Identifier = "zed-2" }));
        Assert.Equal(("zed-2", false), (unproven.Identifier, unproven.HmacVerified));
    }

    [Fact]
    public async Task Once_an_inbox_requires_verification_its_unverified_contacts_credentials_open_nothing()
    {
        await using var host = await UseCaseHost.StartAsync();
        var credentials = host.Services.GetRequiredService<ContactCredentials>();
        var inbox = await host.InboxAsync("Secure later");
        var unverified = await host.NewContactAsync("Unverified", inboxIdentifier: inbox.Identifier);
        var verified = await host.NewContactAsync(fields: Signed(inbox.HmacToken, "v-1"), inboxIdentifier: inbox.Identifier);

        await host.Send(host.Admin, new UpdateInbox(inbox.Id, null, HmacMandatory: true, null, null, null, null));

        Assert.Equal(inbox.Id, Assert.Single(host.Events.OfType<Application.Events.InboxVerificationRequired>()).InboxId);
        await Refusal.Unauthorized(() => credentials.ResolveAsync(inbox.Identifier, unverified.SourceId));
        Assert.Equal(verified.Id, (await credentials.ResolveAsync(inbox.Identifier, verified.SourceId)).Id);
        Assert.Null(await host.Store.ReadAsync(r => CredentialRules.ContactByTokenAsync(r, unverified.PubsubToken)));
        Assert.NotNull(await host.Store.ReadAsync(r => CredentialRules.ContactByTokenAsync(r, verified.PubsubToken)));
    }
}
