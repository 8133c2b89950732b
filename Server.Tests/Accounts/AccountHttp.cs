using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;

namespace ChatHub.Server.Tests.Accounts;

/// <summary>Agents' accounts over real HTTP: an invited agent, password sign-ins, and a browser-like client that keeps
/// cookies and sends the console's Origin and CSRF header.</summary>
public static class AccountHttp
{
    public const string Password = "correct horse battery";

    /// <summary>A new agent (member of inbox 1) that accepted its invitation with <see cref="Password"/>.</summary>
    public static async Task<AgentDto> InvitedAgentAsync(this ChatServer server, string name)
    {
        var agent = await server.CreateAgent(name);
        var token = agent.Invitation!.Url.Split("#invite=")[1];
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        (await http.PutAsJsonAsync("/auth/password", new { reset_password_token = token, password = Password }, RestApi.Json)).EnsureSuccessStatusCode();
        return agent;
    }

    public static Task<HttpResponseMessage> SignInAsync(this ChatServer server, string email, string password, HttpClient? http = null)
    {
        var client = http ?? new HttpClient { BaseAddress = server.BaseUrl };
        return client.PostAsJsonAsync("/auth/sign_in", new { email, password }, RestApi.Json);
    }

    /// <summary>A client that keeps cookies, as a browser tab does; <see cref="Csrf"/> reads the CSRF cookie.</summary>
    public sealed class Browser : IDisposable
    {
        public CookieContainer Cookies { get; } = new();
        public HttpClient Http { get; }
        private readonly Uri _base;

        public Browser(ChatServer server)
        {
            _base = server.BaseUrl;
            Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, UseCookies = true }) { BaseAddress = server.BaseUrl };
            Http.DefaultRequestHeaders.Add("Origin", server.BaseUrl.GetLeftPart(UriPartial.Authority));
        }

        public Cookie? Cookie(string name) => Cookies.GetCookies(_base).FirstOrDefault(c => c.Name == name);
        public string? Csrf => Cookie("chathub_csrf")?.Value;

        public async Task<JsonElement> SignInAsync(string email, string password = Password)
        {
            var answer = await Http.PostAsJsonAsync("/auth/sign_in", new { email, password, session = "cookie" }, RestApi.Json);
            answer.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        }

        /// <summary>An unsafe request with the CSRF header, as the console sends it.</summary>
        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, bool withCsrf = true)
        {
            var request = new HttpRequestMessage(method, path) { Content = content };
            if (withCsrf && Csrf is { } csrf) request.Headers.Add("X-CSRF-Token", csrf);
            return Http.SendAsync(request);
        }

        public void Dispose() => Http.Dispose();
    }
}

/// <summary>A server whose sign-in lockout comes after 3 failures, with the per-email and per-address limits out of the
/// way, shared by the password sign-in tests over HTTP and through ChatHub.Client.</summary>
public sealed class LockoutServer : SharedServer
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Accounts:MaxFailedSignIns"] = "3",
        ["Accounts:SignInsPerMinutePerEmail"] = "100",
        ["Accounts:SignInsPerMinutePerAddress"] = "1000",
    };
}
