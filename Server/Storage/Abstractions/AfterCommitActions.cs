namespace ChatHub.Server.Storage;

/// <summary>The after-commit actions of one group commit, in the order its commands registered them. Each command
/// runs in a savepoint: one that fails takes its actions with it (<see cref="DiscardCommand"/>), the others' run once
/// the whole batch is durable.</summary>
internal sealed class AfterCommitActions
{
    private readonly List<Action> _actions = [];
    private int _commandStart;

    public void Add(Action action) => _actions.Add(action);

    public void BeginCommand() => _commandStart = _actions.Count;

    public void DiscardCommand() => _actions.RemoveRange(_commandStart, _actions.Count - _commandStart);

    /// <summary>Runs every action in order; one that throws is logged and the rest still run.</summary>
    public void RunAll(ILogger logger)
    {
        foreach (var action in _actions)
        {
            try { action(); }
            catch (Exception ex) { logger.LogError(ex, "After-commit action failed"); }
        }
        _actions.Clear();
    }
}
