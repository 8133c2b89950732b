namespace ChatHub.Server.Common;

public static class Clock
{
    /// <summary>The store keeps milliseconds; the API shows seconds, as Chatwoot does.</summary>
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    public static long ToSeconds(long ms) => ms / 1000;
    public static long? ToSeconds(long? ms) => ms / 1000;
}
