using System.Collections.Concurrent;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Application.Pipeline;

/// <summary>The one pipeline every transport calls: validate (FluentValidation, after a hand-written check of the
/// common shape where a validator has one: <see cref="IPlainValidation{T}"/>) -> authorize -> one transaction
/// (or one snapshot for a query) -> publish the raised events after the commit, in commit order. Written here
/// once; use cases hold only their rules. Our own ~100 lines rather than a mediator library: no reflection on
/// the hot path after the first call of each command type, and nothing between the hub thread and the store.</summary>
public sealed class Dispatcher(IServiceProvider services, IChatStore store, EventBus events, RateLimits rateLimits, IEnumerable<IOutbox> outboxes)
{
    private readonly ConcurrentDictionary<Type, object> _validators = new();
    private readonly IOutbox[] _outboxes = outboxes.ToArray();

    public async Task<TResult> SendAsync<TCommand, TResult>(Caller caller, TCommand command) where TCommand : ICommand<TResult>
    {
        Validate(command);
        var handler = services.GetRequiredService<ICommandHandler<TCommand, TResult>>();
        handler.Authorize(caller, command);
        IReadOnlyList<ChatEvent> raised = [];
        var result = await store.WriteAsync(OrderOf(caller, command), async transaction =>
        {
            var context = new CommandContext(caller, transaction, rateLimits);
            var answer = await handler.HandleAsync(command, context);
            if (context.Events.Count > 0)
            {
                raised = context.Events;
                // The webhook deliveries (and reply emails) commit with the change, or neither does.
                foreach (var outbox in _outboxes) await outbox.RecordAsync(transaction, raised);
                transaction.AfterCommit(() => events.Publish(raised));
            }
            return answer;
        });
        if (raised.Count > 0) await events.SettleAsync(raised);
        return result;
    }

    /// <summary>A contact's writes are all its own; an agent's about a conversation are in order with the
    /// conversation's contact's (the store finds it, if it has several writers); the rest are no contact's.</summary>
    private static WriteOrder OrderOf(Caller caller, object command) =>
        caller.IsContact ? WriteOrder.OfContact(caller.Id)
        : command is IConversationCommand c ? WriteOrder.OfConversation(c.ConversationId)
        : command is IContactCommand { ContactId: { } contactId } ? WriteOrder.OfContact(contactId)
        : WriteOrder.None;

    public async Task<TResult> AskAsync<TQuery, TResult>(Caller caller, TQuery query) where TQuery : IQuery<TResult>
    {
        Validate(query);
        var handler = services.GetRequiredService<IQueryHandler<TQuery, TResult>>();
        handler.Authorize(caller, query);
        QueryContext? context = null;
        var result = await store.ReadAsync(reader => handler.HandleAsync(query, context = new QueryContext(caller, reader)));
        if (context!.Events.Count > 0)
        {
            events.Publish(context.Events);
            foreach (var outbox in _outboxes) await outbox.RecordUnstoredAsync(store, context.Events);
        }
        return result;
    }

    private void Validate<T>(T request)
    {
        var validator = _validators.GetOrAdd(typeof(T), _ => services.GetService<IValidator<T>>() ?? (object)NoValidator.Instance)
            as IValidator<T>;
        if (validator is IPlainValidation<T> plain && plain.IsPlainlyValid(request)) return;
        validator?.ValidateOrThrow(request);
    }

    private sealed class NoValidator
    {
        public static readonly NoValidator Instance = new();
    }
}
