using System.Linq.Expressions;
using System.Reflection;

namespace ChatHub.Server.Storage;

/// <summary>Marks a row field that is set when the row is inserted and that no update of the row rewrites (its id, its
/// owner, its creation time): every engine's update writes the row's other fields.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WrittenOnceAttribute : Attribute;

/// <summary>One field of a row: its property, its column (document field) name, and compiled accessors.</summary>
public sealed class RowField
{
    internal RowField(PropertyInfo property)
    {
        Property = property;
        Name = SnakeCase(property.Name);
        WrittenOnce = property.IsDefined(typeof(WrittenOnceAttribute));
        var row = Expression.Parameter(typeof(object));
        var typed = Expression.Convert(row, property.DeclaringType!);
        Get = Expression.Lambda<Func<object, object?>>(Expression.Convert(Expression.Property(typed, property), typeof(object)), row).Compile();
        var value = Expression.Parameter(typeof(object));
        Set = Expression.Lambda<Action<object, object?>>(
            Expression.Assign(Expression.Property(typed, property), Expression.Convert(value, property.PropertyType)), row, value).Compile();
    }

    public PropertyInfo Property { get; }
    /// <summary>The column: the property's name in snake_case (CsatRating: csat_rating).</summary>
    public string Name { get; }
    public Type Type => Property.PropertyType;
    /// <summary>The type without Nullable (long for long?).</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;
    public bool IsNullable => !Type.IsValueType || Nullable.GetUnderlyingType(Type) is not null;
    public bool WrittenOnce { get; }
    public Func<object, object?> Get { get; }
    public Action<object, object?> Set { get; }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "_") + char.ToLowerInvariant(c) : c.ToString()));
}

/// <summary>The fields of a row type, read once from the type itself: every public settable property of a scalar type
/// (number, bool, text) is a field, in declaration order, named in snake_case. Every engine maps rows through this (the
/// SQL column lists, INSERTs and UPDATEs; LiteDB's documents), so adding a field to a row is the property plus a
/// migration per engine, and nothing else.</summary>
public sealed class RowShape<T> where T : class, new()
{
    private static readonly HashSet<Type> Scalars = [typeof(long), typeof(int), typeof(bool), typeof(string)];

    public static RowShape<T> Instance { get; } = new();

    private RowShape()
    {
        Fields = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && Scalars.Contains(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
            .OrderBy(p => p.MetadataToken)
            .Select(p => new RowField(p)).ToList();
        Changeable = Fields.Where(f => !f.WrittenOnce).ToList();
    }

    public IReadOnlyList<RowField> Fields { get; }
    /// <summary>The fields an update of the row writes: all but the [WrittenOnce] ones.</summary>
    public IReadOnlyList<RowField> Changeable { get; }

    public RowField this[string name] => Fields.First(f => f.Name == name);

    /// <summary>Copies the changeable fields of <paramref name="from"/> into <paramref name="into"/> (an update of a
    /// stored row by value).</summary>
    public void CopyChangeable(T from, T into)
    {
        foreach (var field in Changeable) field.Set(into, field.Get(from));
    }
}
