// A console chat over ChatHub.Client: a customer or an agent in a few lines each.
//   dotnet run --project samples/ConsoleChat -- customer http://localhost:5000 <inbox identifier> [name]
//   dotnet run --project samples/ConsoleChat -- agent    http://localhost:5000 <agent access token>
// Pull the network cable while it runs: it reconnects, shows what it missed once, and sends what you typed.
using ChatHub.Samples.ConsoleChat;

if (args is not ["customer" or "agent", var url, var secret, ..])
{
    Console.Error.WriteLine("usage: ConsoleChat customer <server url> <inbox identifier> [name]");
    Console.Error.WriteLine("       ConsoleChat agent <server url> <access token>");
    return 2;
}

var serverUrl = new Uri(url);
if (args[0] == "customer")
{
    await CustomerChat.RunAsync(serverUrl, inboxIdentifier: secret, name: args.ElementAtOrDefault(3) ?? Environment.UserName);
}
else
{
    await AgentDesk.RunAsync(serverUrl, accessToken: secret);
}
return 0;
