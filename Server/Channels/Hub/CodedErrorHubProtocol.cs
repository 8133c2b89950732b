using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Contracts;
using MessagePack;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatHub.Server.Channels.Hub;

/// <summary>A hub protocol (the hub's JSON or MessagePack one), with every error a client receives rewritten to
/// API.md's "code: detail".
/// SignalR words some errors itself before any hub filter runs (arguments that do not bind, unknown methods) and
/// prefixes HubExceptions with "An unexpected error occurred invoking 'M' on the server. HubException: ";
/// clients get the bare coded message instead.</summary>
/// <remarks>It is also the guard that one unwritable message never costs a connection: SignalR aborts a connection
/// whose write throws, and a push is written to every member of a group, so a value that cannot be serialised
/// would drop them all. Such a push is skipped (the client sees a seq gap and fills it); an answer becomes an
/// "unavailable" error.</remarks>
public sealed partial class CodedErrorHubProtocol(IHubProtocol inner, ILogger<CodedErrorHubProtocol>? logger = null) : IHubProtocol
{
    public string Name => inner.Name;
    public int Version => inner.Version;
    public TransferFormat TransferFormat => inner.TransferFormat;
    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input.Length;
        if (inner.TryParseMessage(ref input, binder, out message)) return true;
        if (input.Length == before) return false; // an incomplete record: wait for more data
        // The inner protocol consumed a record of an unknown message type and returned false so it would be ignored,
        // but SignalR's handler takes false as "incomplete" and never gets past it: the connection stops processing
        // messages (dotnet/aspnetcore#69285). A ping is ignored just the same, and moves on.
        message = PingMessage.Instance;
        return true;
    }

    // Serialised whole before anything reaches the output, so a failure leaves no half-written frame behind.
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => output.Write(GetMessageBytes(message).Span);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var recoded = Recode(message);
        try
        {
            return inner.GetMessageBytes(recoded);
        }
        catch (Exception ex) when (ex is JsonException or MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            logger?.LogError(ex, "A {MessageType} could not be serialised; it was replaced so the connection stays open", recoded.GetType().Name);
            return recoded is CompletionMessage { InvocationId: { } id }
                ? inner.GetMessageBytes(CompletionMessage.WithError(id, $"{ErrorCodes.Unavailable}: the answer could not be written"))
                : ReadOnlyMemory<byte>.Empty;
        }
    }

    private static HubMessage Recode(HubMessage message) =>
        message is CompletionMessage { Error: { } error } completion && !IsCoded(error)
            ? CompletionMessage.WithError(completion.InvocationId!, Coded(error))
            : message;

    public static string Coded(string error)
    {
        const string marker = "HubException: ";
        var at = error.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0 && IsCoded(error[(at + marker.Length)..])) return error[(at + marker.Length)..];
        var method = MethodName().Match(error) is { Success: true } m ? m.Groups[1].Value : "the method";
        if (error.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || error.Contains("Unknown hub method", StringComparison.OrdinalIgnoreCase))
            return $"{ErrorCodes.NotFound}: unknown hub method {method}";
        if (error.StartsWith("Failed to invoke", StringComparison.Ordinal))
            return $"{ErrorCodes.Validation}: the arguments do not match {method} (count and types)";
        // "Client sent 1 stream(s), Hub method expects 0." and "...invoke the non-streaming 'M' method with a streaming invocation."
        if (error.Contains("stream(s)", StringComparison.Ordinal) || error.Contains("streaming invocation", StringComparison.Ordinal))
            return $"{ErrorCodes.Validation}: {method} takes no streams; invoke it with a plain invocation";
        return $"{ErrorCodes.Unavailable}: the server could not complete {method}";
    }

    private static readonly string[] Codes =
    [
        ErrorCodes.Validation, ErrorCodes.Unauthorized, ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.Conflict,
        ErrorCodes.TooLarge, ErrorCodes.RateLimited, ErrorCodes.Unavailable,
    ];

    private static bool IsCoded(string error) => Codes.Any(code => error.StartsWith(code + ": ", StringComparison.Ordinal));

    [GeneratedRegex("'([^']{1,64})'")]
    private static partial Regex MethodName();
}
