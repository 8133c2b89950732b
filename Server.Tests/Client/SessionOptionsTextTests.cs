using ChatHub.Client;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>Session options end up in logs and debugger displays through ToString: the credentials in them (an agent's
/// token, a customer's source id and identifier hash) never do.</summary>
public sealed class SessionOptionsTextTests
{
    [Fact]
    public void Agent_options_text_hides_the_access_token()
    {
        var options = new AgentSessionOptions { ServerUrl = new Uri("http://chat.example.com"), AccessToken = "secret-token-123" };
        var text = options.ToString();
        Assert.Contains("chat.example.com", text);
        Assert.DoesNotContain("secret-token-123", text);
    }

    [Fact]
    public void Customer_options_text_hides_the_source_id_and_identifier_hash()
    {
        var options = new CustomerSessionOptions
        {
            ServerUrl = new Uri("http://chat.example.com"), InboxIdentifier = "inbox-1", SourceId = "source-secret-456",
            Identifier = "user-7", IdentifierHash = "hash-secret-789",
        };
        var text = options.ToString();
        Assert.Contains("inbox-1", text);
        Assert.DoesNotContain("source-secret-456", text);
        Assert.DoesNotContain("hash-secret-789", text);
    }
}
