using System.Text.RegularExpressions;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Hosting;

/// <summary>Why the server could not start, in one line an operator can act on (the key, the port or the path to
/// change) instead of a stack trace. CHATHUB_STARTUP_TRACE=1 prints the whole exception too.</summary>
public static partial class StartupFailure
{
    public const string TraceVariable = "CHATHUB_STARTUP_TRACE";
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private static volatile bool _starting;

    /// <summary>While the server starts, the host's own error log of a failed start (a stack trace) is left out:
    /// <see cref="Report"/> says it in one line. Once started, the host logs as usual (e.g. a background service's failure).</summary>
    public static void QuietHostDuringStart(ILoggingBuilder logging) =>
        logging.AddFilter(HostCategory, level => level >= LogLevel.Warning && !(_starting && level >= LogLevel.Error));

    public static async Task StartAsync(WebApplication app)
    {
        _starting = true;
        try
        {
            await app.StartAsync();
        }
        finally
        {
            _starting = false;
        }
    }

    public static string Describe(Exception exception) => exception switch
    {
        StorageConfigurationException or InvalidSettingsException => exception.Message,
        OptionsValidationException invalid => string.Join("; ", invalid.Failures),
        IOException { InnerException: AddressInUseException } busy => BusyPort(busy.Message),
        InvalidOperationException when ConversionFailure().Match(exception.Message) is { Success: true } m =>
            $"{m.Groups["key"].Value} is '{m.Groups["value"].Value}': it must be {Expected(m.Groups["type"].Value)}",
        AggregateException { InnerException: { } inner } => Describe(inner),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Describe(inner),
        _ => $"{exception.GetType().Name}: {exception.Message} (set {TraceVariable}=1 for the stack trace)",
    };

    /// <summary>Writes the line (and the trace when asked for) to stderr; the exit code for it.</summary>
    public static int Report(Exception exception)
    {
        Console.Error.WriteLine($"ChatHub cannot start: {Describe(exception)}");
        if (Environment.GetEnvironmentVariable(TraceVariable) is "1" or "true") Console.Error.WriteLine(exception);
        return 1;
    }

    private static string BusyPort(string message)
    {
        var address = BindAddress().Match(message) is { Success: true } m ? m.Groups[1].Value : "the address";
        var port = Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Port.ToString() : "?";
        return $"port {port} is in use ({address}); stop what listens there or choose another port with --urls http://0.0.0.0:PORT (or ASPNETCORE_URLS)";
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:00:30",
        _ => $"a value of type {type.Replace("System.", "")}",
    };

    // "Failed to convert configuration value 'abc' at 'Limits:MaxPageSize' to type 'System.Int32'."
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();

    // "Failed to bind to address http://127.0.0.1:5999: address already in use."
    [GeneratedRegex(@"address (\S+?):? address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BindAddress();
}
