using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>SignalR's lifetime manager for several ChatHub nodes behind one Redis (after the design of Microsoft's
/// RedisHubLifetimeManager: a channel for all, per group, per connection and per user; group changes for another
/// node's connections with an acknowledgement; subscriptions counted per node).
/// <para>Unlike Microsoft's, a push is delivered to this node's connections directly, and published to Redis on
/// the side (<see cref="RedisOutbox"/>) for the other nodes, which skip their own messages: local delivery never
/// waits on Redis, and keeps working while Redis is away. A push is serialised once per hub protocol; the same
/// bytes serve local connections and travel over Redis.</para>
/// <para>Order: each node publishes in the order it was handed pushes, and Redis delivers one node's messages in
/// that order, so pushes from one node reach every connection in order. Pushes of one conversation coming from two
/// nodes may interleave; clients put them in seq order (a gap triggers a GetMessages {afterSeq}).</para></summary>
public sealed class RedisHubLifetimeManager<THub> : HubLifetimeManager<THub>, IUserGroupManager where THub : Hub
{
    private readonly HubConnectionStore _connections = new();
    private readonly ConnectionSets _groups = new();
    private readonly ConnectionSets _users = new();
    private readonly RedisConnection _redis;
    private readonly RedisOutbox _outbox;
    private readonly RedisChannels _channels;
    private readonly ChannelSubscriptions _subscriptions;
    private readonly PerProtocolSerializer _serializer;
    private readonly AckTracker _acks = new();
    private readonly ILogger _logger;
    private readonly TimeSpan _ackTimeout;
    private readonly TimeSpan _subscribeWait;

    public RedisHubLifetimeManager(RedisConnection redis, RedisOutbox outbox, IHubProtocolResolver protocols,
        IOptions<RedisBackplaneOptions> options, ILogger<RedisHubLifetimeManager<THub>> logger)
    {
        _redis = redis;
        _outbox = outbox;
        _logger = logger;
        _serializer = new PerProtocolSerializer(protocols);
        _channels = new RedisChannels(options.Value.ChannelPrefix, typeof(THub).Name);
        _subscriptions = new ChannelSubscriptions(redis, logger);
        _ackTimeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.AckTimeoutSeconds));
        _subscribeWait = TimeSpan.FromSeconds(Math.Max(0, options.Value.SubscribeWaitSeconds));
        _ = _subscriptions.AddAsync(_channels.All, (_, value) => OnMessage(value, () => [.. _connections]));
        _ = _subscriptions.AddAsync(_channels.Node(redis.NodeId), (_, value) => OnMessage(value, static () => []));
    }

    /// <summary>The channel names (for diagnostics and tests).</summary>
    public RedisChannels Channels => _channels;

    /// <summary>How many of this node's connections hold a channel's subscription (0: not subscribed).</summary>
    public int SubscriptionCount(string channel) => _subscriptions.CountOf(channel);

    // ---- connections

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections.Add(connection);
        var id = connection.ConnectionId;
        var subscribed = new List<Task> { _subscriptions.AddAsync(_channels.Connection(id), (_, value) => OnMessage(value, () => Local(id))) };
        if (connection.UserIdentifier is { Length: > 0 } user && _users.Add(user, connection))
            subscribed.Add(_subscriptions.AddAsync(_channels.User(user), (_, value) => OnMessage(value, () => _users.Members(user))));
        await WaitForSubscriptions(Task.WhenAll(subscribed));
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.Remove(connection);
        var unsubscribed = new List<Task> { _subscriptions.RemoveAsync(_channels.Connection(connection.ConnectionId)) };
        foreach (var group in _groups.RemoveAll(connection)) unsubscribed.Add(_subscriptions.RemoveAsync(_channels.Group(group)));
        if (connection.UserIdentifier is { Length: > 0 } user && _users.Remove(user, connection))
            unsubscribed.Add(_subscriptions.RemoveAsync(_channels.User(user)));
        await WaitForSubscriptions(Task.WhenAll(unsubscribed));
    }

    // ---- sends: here first, then to the other nodes

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllExceptAsync(methodName, args, [], cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default)
    {
        var push = _serializer.Serialize(methodName, args);
        Publish(_channels.All, push, excludedConnectionIds);
        return WriteAsync([.. _connections], push, excludedConnectionIds);
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args,
        CancellationToken cancellationToken = default)
    {
        var push = _serializer.Serialize(methodName, args);
        byte[]? envelope = null;
        var local = new List<HubConnectionContext>();
        foreach (var connectionId in connectionIds)
        {
            // A connection lives on one node: local ones need no Redis at all.
            if (_connections[connectionId] is { } connection) local.Add(connection);
            else _outbox.Enqueue(_channels.Connection(connectionId), envelope ??= Envelope(push, []));
        }
        return WriteAsync(local, push, []);
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendGroupExceptAsync(groupName, methodName, args, [], cancellationToken);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default)
    {
        var push = _serializer.Serialize(methodName, args);
        Publish(_channels.Group(groupName), push, excludedConnectionIds);
        return WriteAsync(_groups.Members(groupName), push, excludedConnectionIds);
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendToEach(groupNames, _channels.Group, _groups, methodName, args);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendToEach(userIds, _channels.User, _users, methodName, args);

    /// <summary>One serialisation for all the named groups or users: published to each one's channel, written to
    /// each one's members here.</summary>
    private Task SendToEach(IReadOnlyList<string> names, Func<string, string> channelOf, ConnectionSets sets, string methodName, object?[] args)
    {
        var push = _serializer.Serialize(methodName, args);
        var envelope = Envelope(push, []);
        var writes = new List<Task>(names.Count);
        foreach (var name in names)
        {
            _outbox.Enqueue(channelOf(name), envelope);
            writes.Add(WriteAsync(sets.Members(name), push, []));
        }
        return Task.WhenAll(writes);
    }

    // ---- groups

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        return _connections[connectionId] is { } connection
            ? AddLocalAsync(connection, groupName)
            : SendGroupCommandAsync(_channels.Connection(connectionId), GroupAction.Add, groupName, connectionId, cancellationToken);
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        return _connections[connectionId] is { } connection
            ? RemoveLocalAsync(connection, groupName)
            : SendGroupCommandAsync(_channels.Connection(connectionId), GroupAction.Remove, groupName, connectionId, cancellationToken);
    }

    /// <summary>Adds the user's connections here at once, and asks every node that has some (the subscribers of the
    /// user's channel) to add theirs, waiting for each one's acknowledgement. Without Redis, or when a node does not
    /// answer, that node's connections get the group at their next connect (logged, not thrown: the caller's change
    /// is already stored).</summary>
    public async Task AddUserToGroupAsync(string userId, string groupName, CancellationToken cancellationToken = default)
    {
        foreach (var connection in _users.Members(userId)) await AddLocalAsync(connection, groupName);
        try
        {
            await SendGroupCommandAsync(_channels.User(userId), GroupAction.AddUser, groupName, userId, cancellationToken);
        }
        catch (Exception ex) when (ex is BackplaneUnavailableException or TimeoutException)
        {
            _logger.LogWarning(ex, "The connections of {User} on other nodes could not be added to {Group}; they get it when they reconnect", userId, groupName);
        }
    }

    private Task AddLocalAsync(HubConnectionContext connection, string groupName) =>
        _groups.Add(groupName, connection)
            ? WaitForSubscriptions(_subscriptions.AddAsync(_channels.Group(groupName), (_, value) => OnMessage(value, () => _groups.Members(groupName))))
            : Task.CompletedTask;

    private Task RemoveLocalAsync(HubConnectionContext connection, string groupName) =>
        _groups.Remove(groupName, connection)
            ? WaitForSubscriptions(_subscriptions.RemoveAsync(_channels.Group(groupName)))
            : Task.CompletedTask;

    /// <summary>Publishes a group command and waits until every node that received it acknowledged it. No receiver
    /// means no node has that connection (or user) now: like SignalR's own manager, nothing to do.</summary>
    private async Task SendGroupCommandAsync(string channel, GroupAction action, string groupName, string target, CancellationToken cancellationToken)
    {
        var (id, acknowledged) = _acks.Create();
        try
        {
            var receivers = await _outbox.PublishAsync(channel, BackplaneProtocol.Write(new GroupCommand(_redis.NodeId, id, action, groupName, target)));
            _acks.Expect(id, receivers);
            await acknowledged.WaitAsync(_ackTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no acknowledgement for {action} of {target} to group {groupName} within {_ackTimeout.TotalSeconds:0} s");
        }
        finally
        {
            _acks.Forget(id);
        }
    }

    // ---- from Redis

    /// <summary>Runs on StackExchange.Redis's ordered dispatch: one message at a time, in arrival order. Writes are
    /// started here in that order and not awaited, so a slow connection holds nobody up.</summary>
    private void OnMessage(RedisValue value, Func<IReadOnlyCollection<HubConnectionContext>> targets)
    {
        BackplaneMessage message;
        try
        {
            message = BackplaneProtocol.Read((byte[])value!);
        }
        catch (InvalidDataException ex)
        {
            _logger.LogWarning(ex, "Ignored a backplane message this node cannot read");
            return;
        }
        switch (message)
        {
            case InvocationEnvelope push when push.Sender != _redis.NodeId: // our own were delivered here already
                Observe(WriteAsync(targets(), push.ToHubMessage(), push.Excluded));
                break;
            case GroupCommand command:
                _ = ApplyAsync(command);
                break;
            case Ack ack:
                _acks.Acknowledge(ack.Id);
                break;
        }
    }

    /// <summary>Applies another node's group command to the connections here, then acknowledges. Membership changes
    /// before this returns to the dispatch loop (only the subscription is awaited), so a push that follows the
    /// command on Redis finds the connection in its group.</summary>
    private async Task ApplyAsync(GroupCommand command)
    {
        try
        {
            if (command.Sender != _redis.NodeId) // the sender applied it to its own connections already
            {
                switch (command.Action)
                {
                    case GroupAction.Add when _connections[command.Target] is { } connection:
                        await AddLocalAsync(connection, command.GroupName);
                        break;
                    case GroupAction.Remove when _connections[command.Target] is { } connection:
                        await RemoveLocalAsync(connection, command.GroupName);
                        break;
                    case GroupAction.AddUser:
                        await Task.WhenAll(_users.Members(command.Target).Select(c => AddLocalAsync(c, command.GroupName)));
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Applying a group command from another node failed");
        }
        finally
        {
            _outbox.Enqueue(_channels.Node(command.Sender), BackplaneProtocol.Write(new Ack(_redis.NodeId, command.Id)));
        }
    }

    // ---- helpers

    private HubConnectionContext[] Local(string connectionId) => _connections[connectionId] is { } connection ? [connection] : [];

    private void Publish(string channel, IReadOnlyList<SerializedMessage> push, IReadOnlyList<string> excluded) =>
        _outbox.Enqueue(channel, Envelope(push, excluded));

    private byte[] Envelope(IReadOnlyList<SerializedMessage> push, IReadOnlyList<string> excluded) =>
        BackplaneProtocol.Write(new InvocationEnvelope(_redis.NodeId, push, excluded));

    private static Task WriteAsync(IReadOnlyCollection<HubConnectionContext> targets, IReadOnlyList<SerializedMessage> push, IReadOnlyList<string> excluded) =>
        WriteAsync(targets, new SerializedHubMessage(push), excluded);

    private static Task WriteAsync(IReadOnlyCollection<HubConnectionContext> targets, SerializedHubMessage message, IReadOnlyList<string> excluded)
    {
        List<Task>? pending = null;
        foreach (var connection in targets)
        {
            if (excluded.Count > 0 && excluded.Contains(connection.ConnectionId)) continue;
            var write = connection.WriteAsync(message);
            if (!write.IsCompletedSuccessfully) (pending ??= []).Add(write.AsTask());
        }
        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

    /// <summary>Subscriptions are awaited (so a connection hears other nodes once it is served) but never longer than
    /// SubscribeWaitSeconds: a slow Redis must not hold local connections up.</summary>
    private async Task WaitForSubscriptions(Task subscriptions)
    {
        try
        {
            await subscriptions.WaitAsync(_subscribeWait);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Redis subscriptions are slow; this connection is served meanwhile and hears other nodes once they complete");
        }
    }

    private void Observe(Task writes)
    {
        if (writes.IsCompletedSuccessfully) return;
        writes.ContinueWith(t => _logger.LogDebug(t.Exception, "A push from another node could not be written to a connection"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
