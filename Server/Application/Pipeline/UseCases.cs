using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Pipeline;

/// <summary>A change: validated, authorized, run in one transaction, its events published after the commit.</summary>
public interface ICommand<TResult>;

/// <summary>A command about one conversation: whoever sends it, its write commits in order with the other writes of
/// the conversation's contact (<see cref="WriteOrder"/>), so the conversation's seqs and pushes keep commit order.</summary>
public interface IConversationCommand
{
    long ConversationId { get; }
}

/// <summary>An agent's (or the operator's) command about one contact, when it names it: its write commits in order with
/// the contact's own (<see cref="WriteOrder"/>).</summary>
public interface IContactCommand
{
    long? ContactId { get; }
}

/// <summary>A read: validated, authorized, run on one snapshot. It may raise events that are not stored (typing).</summary>
public interface IQuery<TResult>;

public interface ICommandHandler<in TCommand, TResult> where TCommand : ICommand<TResult>
{
    /// <summary>Checks that need no data (who the caller is, its rate budget), before the transaction.</summary>
    void Authorize(Caller caller, TCommand command) { }

    /// <summary>The rules, inside the transaction: read what is needed once, change it, raise what happened.</summary>
    ValueTask<TResult> HandleAsync(TCommand command, CommandContext context);
}

public interface IQueryHandler<in TQuery, TResult> where TQuery : IQuery<TResult>
{
    void Authorize(Caller caller, TQuery query) { }

    ValueTask<TResult> HandleAsync(TQuery query, QueryContext context);
}

/// <summary>What a command handler works with: the caller, its transaction, and the events it raises.</summary>
public sealed class CommandContext(Caller caller, IStoreTransaction store, RateLimits rateLimits)
{
    private List<ChatEvent>? _events;

    public Caller Caller { get; } = caller;
    public IStoreTransaction Store { get; } = store;
    internal IReadOnlyList<ChatEvent> Events => _events ?? [];

    /// <summary>Records what happened; sinks get it only if and after the transaction commits.</summary>
    public void Raise(ChatEvent change) => (_events ??= []).Add(change);

    /// <summary>Takes one unit of the caller's budget for <paramref name="action"/> (inside the transaction, for
    /// commands whose retries must not count: check for the original first).</summary>
    public void Limit(RateLimitedAction action) => rateLimits.Check(action, Caller.Key);
}

public sealed class QueryContext(Caller caller, IStoreReader store)
{
    private List<ChatEvent>? _events;

    public Caller Caller { get; } = caller;
    public IStoreReader Store { get; } = store;
    internal IReadOnlyList<ChatEvent> Events => _events ?? [];

    /// <summary>An event that is not stored (typing): published when the query has finished.</summary>
    public void Raise(ChatEvent change) => (_events ??= []).Add(change);
}
