using System.Data.Common;
using System.Linq.Expressions;

namespace ChatHub.Server.Storage.Sql;

/// <summary>A table of rows of <typeparamref name="T"/>: its column list, INSERT and UPDATE, the arguments that bind a
/// row to them, and a compiled reader that maps a row of <see cref="Columns"/> back (by ordinal, so a SELECT of
/// <see cref="Columns"/> is all it reads). All of it comes from the row's <see cref="RowShape{T}"/>: a new field of the
/// row is in every statement here without a line written.</summary>
internal sealed class SqlTable<T> where T : class, new()
{
    private static readonly RowShape<T> Shape = RowShape<T>.Instance;

    public SqlTable(string name)
    {
        Name = name;
        Columns = string.Join(", ", Shape.Fields.Select(f => f.Name));
        Select = $"SELECT {Columns} FROM {name}";
        Read = CompileReader();
    }

    public string Name { get; }
    /// <summary>Every column, in the row's field order.</summary>
    public string Columns { get; }
    /// <summary>SELECT <see cref="Columns"/> FROM the table (add WHERE, ORDER BY).</summary>
    public string Select { get; }
    public Func<DbDataReader, T> Read { get; }

    /// <summary>INSERT of every field but the id (or of <paramref name="only"/>), RETURNING id; <paramref name="literals"/>
    /// puts a value of its own in a column instead of the row's.</summary>
    public string Insert(IReadOnlyCollection<string>? only = null, params (string Column, string Sql)[] literals)
    {
        var fields = Inserted(only).ToList();
        var values = fields.Select(f => literals.FirstOrDefault(l => l.Column == f.Name).Sql ?? "@" + f.Name);
        return $"INSERT INTO {Name} ({string.Join(", ", fields.Select(f => f.Name))}) VALUES ({string.Join(", ", values)}) RETURNING id";
    }

    /// <summary>The arguments of <see cref="Insert"/> (a literal's column simply goes unused).</summary>
    public (string Name, object? Value)[] InsertArgs(T row, IReadOnlyCollection<string>? only = null) => Args(row, Inserted(only));

    /// <summary>UPDATE of every changeable field but <paramref name="except"/>, followed by <paramref name="more"/>
    /// (further assignments), of the row @id.</summary>
    public string Update(string[] except, string more = "") =>
        $"UPDATE {Name} SET {string.Join(", ", Updated(except).Select(f => $"{f.Name} = @{f.Name}"))}{more} WHERE id = @id";

    /// <summary>The arguments of <see cref="Update"/>: the updated fields and the id.</summary>
    public (string Name, object? Value)[] UpdateArgs(T row, string[] except) => Args(row, Updated(except).Append(Shape["id"]));

    private static IEnumerable<RowField> Inserted(IReadOnlyCollection<string>? only) =>
        Shape.Fields.Where(f => only?.Contains(f.Name) ?? f.Name != "id");

    private static IEnumerable<RowField> Updated(string[] except) => Shape.Changeable.Where(f => !except.Contains(f.Name));

    private static (string Name, object? Value)[] Args(T row, IEnumerable<RowField> fields) =>
        fields.Select(f => ("@" + f.Name, f.Get(row))).ToArray();

    private static Func<DbDataReader, T> CompileReader()
    {
        var reader = Expression.Parameter(typeof(DbDataReader));
        var bindings = Shape.Fields.Select((field, ordinal) => (MemberBinding)Expression.Bind(field.Property, ReadColumn(reader, ordinal, field)));
        return Expression.Lambda<Func<DbDataReader, T>>(Expression.MemberInit(Expression.New(typeof(T)), bindings), reader).Compile();
    }

    private static Expression ReadColumn(ParameterExpression reader, int ordinal, RowField field)
    {
        var getter = field.ValueType == typeof(long) ? nameof(DbDataReader.GetInt64)
            : field.ValueType == typeof(int) ? nameof(DbDataReader.GetInt32)
            : field.ValueType == typeof(bool) ? nameof(DbDataReader.GetBoolean)
            : nameof(DbDataReader.GetString);
        var at = Expression.Constant(ordinal);
        var value = Expression.Convert(Expression.Call(reader, typeof(DbDataReader).GetMethod(getter, [typeof(int)])!, at), field.Type);
        if (!field.IsNullable) return value;
        var isNull = Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!, at);
        return Expression.Condition(isNull, Expression.Constant(null, field.Type), value);
    }
}
