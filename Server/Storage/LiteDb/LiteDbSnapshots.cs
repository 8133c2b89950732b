using System.Linq.Expressions;
using System.Reflection;
using LiteDB;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Opens a read transaction's snapshots of several collections at once, as a query would open each: LiteDB's
/// <c>TransactionService.CreateSnapshot(LockMode.Read, collection, false)</c> on the thread's transaction. LiteDB has
/// no public call for it, and the public way (a query per collection, <c>FindById(0)</c>) parses and plans a query each
/// time: with 19 collections that was about 90 µs and 220 KB of garbage of every LiteDB read, a third of a history
/// page's time, and its garbage collections made the slowest pages (issue 22). The internals are reached through
/// delegates compiled once; if a LiteDB version lacks them, <see cref="IsDirect"/> is false and the snapshots are
/// opened by queries, as before (a test pins the direct way for the version we ship).</summary>
public static class LiteDbSnapshots
{
    private static readonly (Func<LiteDatabase, object?> TransactionOf, Action<object, string> OpenSnapshot)? Direct = Build();

    /// <summary>Whether snapshots open through LiteDB's transaction (not by queries).</summary>
    public static bool IsDirect => Direct is not null;

    /// <summary>Opens the snapshots of <paramref name="names"/> in the calling thread's transaction (one must be open).
    /// False when that is not possible: the caller then opens them with queries.</summary>
    public static bool TryOpen(LiteDatabase db, IReadOnlyList<string> names)
    {
        if (Direct is not { } direct || direct.TransactionOf(db) is not { } transaction) return false;
        foreach (var name in names) direct.OpenSnapshot(transaction, name);
        return true;
    }

    private static (Func<LiteDatabase, object?>, Action<object, string>)? Build()
    {
        try
        {
            const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            var assembly = typeof(LiteDatabase).Assembly;
            var engineType = assembly.GetType("LiteDB.Engine.LiteEngine");
            var lockMode = assembly.GetType("LiteDB.Engine.LockMode");
            var engineField = typeof(LiteDatabase).GetField("_engine", Instance);
            var monitorField = engineType?.GetField("_monitor", Instance);
            var getTransaction = monitorField?.FieldType.GetMethod("GetTransaction", Instance, [typeof(bool), typeof(bool), typeof(bool).MakeByRefType()]);
            var createSnapshot = getTransaction?.ReturnType.GetMethod("CreateSnapshot", Instance, [lockMode!, typeof(string), typeof(bool)]);
            if (engineType is null || lockMode is null || engineField is null || monitorField is null || getTransaction is null || createSnapshot is null)
                return null;

            // db => ((LiteEngine)db._engine)._monitor.GetTransaction(create: false, queryOnly: false, out _)
            var db = Expression.Parameter(typeof(LiteDatabase), "db");
            var isNew = Expression.Variable(typeof(bool), "isNew");
            var engine = Expression.TypeAs(Expression.Field(db, engineField), engineType);
            var transactionOf = Expression.Lambda<Func<LiteDatabase, object?>>(
                Expression.Block([isNew], Expression.Condition(Expression.Equal(engine, Expression.Constant(null, engineType)),
                    Expression.Constant(null, typeof(object)),
                    Expression.Convert(Expression.Call(Expression.Field(engine, monitorField), getTransaction,
                        Expression.Constant(false), Expression.Constant(false), isNew), typeof(object)))), db).Compile();

            // (transaction, name) => ((TransactionService)transaction).CreateSnapshot(LockMode.Read, name, addIfNotExists: false)
            var transaction = Expression.Parameter(typeof(object), "transaction");
            var name = Expression.Parameter(typeof(string), "name");
            var openSnapshot = Expression.Lambda<Action<object, string>>(
                Expression.Call(Expression.Convert(transaction, getTransaction.ReturnType), createSnapshot,
                    Expression.Constant(Enum.Parse(lockMode, "Read")), name, Expression.Constant(false)), transaction, name).Compile();
            return (transactionOf, openSnapshot);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or MemberAccessException or AmbiguousMatchException)
        {
            return null;
        }
    }
}
