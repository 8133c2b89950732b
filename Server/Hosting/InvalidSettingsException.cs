namespace ChatHub.Server.Hosting;

/// <summary>Settings the server cannot run with: it does not start, and says why in one line naming each key.</summary>
public sealed class InvalidSettingsException(string message) : Exception(message);
