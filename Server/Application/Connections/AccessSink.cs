using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Application.Connections;

/// <summary>Turns changes of rights into rechecks of the open connections they concern, on every node, before the
/// command that made the change is answered: once an administrator is told an agent is deactivated, that agent's
/// connections are closed everywhere; once told an agent joined an inbox, its open connections hear that inbox.</summary>
public sealed class AccessSink(IClusterRechecks rechecks, ILogger<AccessSink> logger) : IEventSink
{
    public void Publish(ChatEvent change)
    {
    }

    public Task SettleAsync(ChatEvent change) => change switch
    {
        InboxMembersAdded e => Task.WhenAll(e.AgentIds.Select(id => RecheckAsync(new AccessScope.Agent(id)))),
        InboxMembersRemoved e => Task.WhenAll(e.AgentIds.Select(id => RecheckAsync(new AccessScope.Agent(id)))),
        AgentCredentialsChanged e => RecheckAsync(new AccessScope.Agent(e.AgentId)),
        InboxVerificationRequired e => RecheckAsync(new AccessScope.ContactsOfInbox(e.InboxId)),
        _ => Task.CompletedTask,
    };

    /// <summary>The change is committed whatever happens here: a failure is logged, never the command's answer.</summary>
    private async Task RecheckAsync(AccessScope scope)
    {
        try
        {
            await rechecks.RecheckEverywhereAsync(scope);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The open connections of {Scope} could not all be checked again", scope.ToWire());
        }
    }
}
