using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>API.md "HMAC identity validation": identifier_hash = lowercase hex HMAC-SHA256(inbox hmac_token, identifier).</summary>
public sealed class HmacTests
{
    [Fact]
    public async Task Valid_identifier_hash_marks_the_contact_verified()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact(extra: new
        {
            identifier = "user-1001",
            identifier_hash = IdentifierHash(server.HmacToken, "user-1001"),
            name = "Verified Vera",
        });
        Assert.True(contact.HmacVerified);
        Assert.Equal("user-1001", contact.Identifier);
        Assert.True((await server.Http.GetRead<ContactDto>(server.ContactPath(contact))).HmacVerified);
    }

    [Fact]
    public async Task Same_identifier_with_a_valid_hash_gets_the_same_contact_back()
    {
        await using var server = await ChatServer.StartAsync();
        var hash = IdentifierHash(server.HmacToken, "user-2002");
        var phone = await server.CreateContact(extra: new { identifier = "user-2002", identifier_hash = hash, name = "Walt" });
        var conversation = await server.StartConversation(phone, "from my phone");

        var laptop = await server.CreateContact(extra: new { identifier = "user-2002", identifier_hash = hash });
        Assert.Equal(phone.Id, laptop.Id);
        Assert.Equal(phone.SourceId, laptop.SourceId);
        Assert.Equal(phone.PubsubToken, laptop.PubsubToken);
        Assert.Equal("Walt", laptop.Name); // fields not given are kept
        Assert.True(laptop.HmacVerified);
        var conversations = await server.Http.GetRead<List<ConversationDto>>($"{server.ContactPath(laptop)}/conversations");
        Assert.Equal([conversation.Id], conversations.Select(c => c.Id));
    }

    [Fact]
    public async Task Same_identifier_without_a_valid_hash_never_gets_the_verified_contact()
    {
        await using var server = await ChatServer.StartAsync();
        var verified = await server.CreateContact(extra: new
        {
            identifier = "user-3003", identifier_hash = IdentifierHash(server.HmacToken, "user-3003"), name = "Xena",
        });
        await server.StartConversation(verified, "private matter");

        var attempts = new object[]
        {
            new { identifier = "user-3003" },
            new { identifier = "user-3003", identifier_hash = "" },
            new { identifier = "user-3003", identifier_hash = new string('0', 64) },
            new { identifier = "user-3003", identifier_hash = IdentifierHash("wrong-key", "user-3003") },
            new { identifier = "user-3003", identifier_hash = IdentifierHash(server.HmacToken, "user-3004") },
        };
        var impostors = new List<ContactDto>();
        foreach (var body in attempts)
        {
            var impostor = await server.CreateContact(extra: body);
            Assert.NotEqual(verified.Id, impostor.Id);
            Assert.NotEqual(verified.SourceId, impostor.SourceId);
            Assert.NotEqual(verified.PubsubToken, impostor.PubsubToken);
            Assert.False(impostor.HmacVerified);
            Assert.NotEqual(verified.Name, impostor.Name); // a generated name of its own, never the verified person's
            Assert.Empty(await server.Http.GetRead<List<ConversationDto>>($"{server.ContactPath(impostor)}/conversations"));
            impostors.Add(impostor);
        }
        Assert.Equal(impostors.Count, impostors.Select(c => c.Id).Distinct().Count());

        // A later valid hash still finds the verified person, not an unverified namesake.
        var again = await server.CreateContact(extra: new { identifier = "user-3003", identifier_hash = IdentifierHash(server.HmacToken, "user-3003") });
        Assert.Equal(verified.Id, again.Id);
    }

    [Fact]
    public async Task Unverified_contact_first_does_not_capture_a_later_verified_identity()
    {
        await using var server = await ChatServer.StartAsync();
        var squatter = await server.CreateContact(extra: new { identifier = "user-4004", name = "Squatter" });
        var real = await server.CreateContact(extra: new { identifier = "user-4004", identifier_hash = IdentifierHash(server.HmacToken, "user-4004") });
        Assert.NotEqual(squatter.Id, real.Id);
        Assert.True(real.HmacVerified);
        Assert.NotEqual("Squatter", real.Name);
    }

    [Fact]
    public async Task Hmac_mandatory_inbox_refuses_contacts_without_a_valid_hash_and_accepts_them_with_one()
    {
        await using var server = await ChatServer.StartAsync();
        var inbox = await server.CreateInbox("Secure", hmacMandatory: true);
        Assert.True(inbox.HmacMandatory);
        var contacts = $"/public/api/v1/inboxes/{inbox.Identifier}/contacts";

        await (await server.Http.PostJson(contacts, new { name = "anon" })).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await server.Http.PostJson(contacts, null)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await server.Http.PostJson(contacts, new { identifier = "u-1" })).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await server.Http.PostJson(contacts, new { identifier = "u-1", identifier_hash = IdentifierHash(server.HmacToken, "u-1") }))
            .AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized); // signed with another inbox's key

        var contact = await server.CreateContactIn(inbox.Identifier, new
        {
            identifier = "u-1", identifier_hash = IdentifierHash(inbox.HmacToken, "u-1"), name = "Yuri",
        });
        Assert.True(contact.HmacVerified);
        var contactPath = $"{contacts}/{contact.SourceId}";

        var shown = await server.Http.GetRead<ContactDto>(contactPath);
        Assert.Equal(contact.Id, shown.Id);
        var renamed = await (await server.Http.PatchJson(contactPath, new { name = "Yuri B." })).Read<ContactDto>();
        Assert.Equal("Yuri B.", renamed.Name);
        Assert.True(renamed.HmacVerified);

        // Changing the identifier needs that identifier's hash.
        await (await server.Http.PatchJson(contactPath, new { identifier = "u-2" })).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Equal("u-1", (await server.Http.GetRead<ContactDto>(contactPath)).Identifier);
        var moved = await (await server.Http.PatchJson(contactPath, new { identifier = "u-2", identifier_hash = IdentifierHash(inbox.HmacToken, "u-2") }))
            .Read<ContactDto>();
        Assert.Equal("u-2", moved.Identifier);
        Assert.True(moved.HmacVerified);

        var conversation = await server.Http.PostRead<ConversationDto>($"{contactPath}/conversations", new { message = new { content = "hi" } });
        Assert.Equal(inbox.Id, conversation.InboxId);

        var publicInbox = await server.Http.GetRead<InboxDto>($"/public/api/v1/inboxes/{inbox.Identifier}");
        Assert.True(publicInbox.IdentityValidationEnabled);
    }

    [Fact]
    public async Task Patch_with_a_new_identifier_and_valid_hash_verifies_and_without_one_unverifies()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Zed");
        Assert.False(contact.HmacVerified);

        var verified = await (await server.Http.PatchJson(server.ContactPath(contact),
            new { identifier = "zed-1", identifier_hash = IdentifierHash(server.HmacToken, "zed-1") })).Read<ContactDto>();
        Assert.True(verified.HmacVerified);
        Assert.Equal(contact.Id, verified.Id);
        var same = await (await server.Http.PatchJson(server.ContactPath(contact), new { email = "zed@example.com" })).Read<ContactDto>();
        Assert.True(same.HmacVerified);

        var unproven = await (await server.Http.PatchJson(server.ContactPath(contact), new { identifier = "zed-2" })).Read<ContactDto>();
        Assert.Equal("zed-2", unproven.Identifier);
        Assert.False(unproven.HmacVerified);
    }
}
