namespace ChatHub.Server.Application.Pipeline;

/// <summary>The result of a use case that answers nothing but success.</summary>
public readonly record struct Done;
