using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// Inserts new rows of one entity type without change tracking, as multi-row <c>INSERT … VALUES (…), (…)</c> statements
/// in one transaction. Everything provider-specific comes from EF Core's model and the provider's own services — the
/// table and column names, identifier quoting, parameter names, and each column's type mapping with its value converter —
/// so every provider receives the columns and parameter types <c>SaveChanges</c> would send. Columns the database
/// generates (the identity key) are left out, and the generated values are not read back: for append-only rows nobody
/// reads again through the same objects (the read rows of the operation log, written in batches). A batch costs a fraction
/// of <c>SaveChanges</c>, which builds a modification command, a snapshot and a <c>RETURNING</c> per row.
/// </summary>
internal static class AppendOnlyInsert
{
    /// <summary>Parameters per statement: SQL Server takes at most 2,100, the lowest limit of the three providers.</summary>
    internal const int MaxParametersPerStatement = 2000;

    public static async Task InsertAsync<T>(AppDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var shape = Shape.Of<T>(db);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            (db, rows, shape),
            async (_, state, ct) =>
            {
                await using var transaction = await state.db.Database.BeginTransactionAsync(ct);
                await using var command = state.db.Database.GetDbConnection().CreateCommand();
                if (state.db.Database.GetCommandTimeout() is { } timeout)
                {
                    command.CommandTimeout = timeout;
                }

                command.Transaction = transaction.GetDbTransaction();
                foreach (var statement in Statements(command, state.shape, state.rows))
                {
                    await statement.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
                return true;
            },
            verifySucceeded: null,
            cancellationToken);
    }

    /// <summary>
    /// Fills <paramref name="command"/> with each statement for <paramref name="rows"/> in turn
    /// (<see cref="Shape.RowsPerStatement"/> rows each) and yields it; the caller executes it before asking for the next.
    /// One command serves them all: every full statement has the same text, so SQLite prepares it once per batch and
    /// then only rebinds it (a statement per row, each prepared again, cost 2.5 % of the API's CPU under read load).
    /// </summary>
    internal static IEnumerable<DbCommand> Statements<T>(DbCommand command, Shape shape, IReadOnlyList<T> rows)
        where T : class
    {
        var perStatement = shape.RowsPerStatement;
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(rows.Count - start, perStatement);
            // Setting the text it already has keeps a SqliteCommand's prepared statement.
            command.CommandText = count == perStatement ? shape.FullText : Text(shape.Sql, shape.Head, shape.Columns.Count, count);

            command.Parameters.Clear();
            var number = 0;
            for (var row = start; row < start + count; row++)
            {
                foreach (var column in shape.Columns)
                {
                    var value = column.Getter?.GetClrValueUsingContainingEntity(rows[row]);
                    command.Parameters.Add(column.Mapping.CreateParameter(command, shape.ParameterNames[number++], value, column.Property.IsNullable));
                }
            }

            yield return command;
        }
    }

    /// <summary><c>INSERT … VALUES (@p0, @p1), (@p2, @p3)</c> for <paramref name="rowCount"/> rows.</summary>
    private static string Text(ISqlGenerationHelper sql, string head, int columnCount, int rowCount)
    {
        var text = new StringBuilder(head);
        var number = 0;
        for (var row = 0; row < rowCount; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var c = 0; c < columnCount; c++)
            {
                text.Append(c == 0 ? string.Empty : ", ").Append(sql.GenerateParameterNamePlaceholder("p" + number++));
            }

            text.Append(')');
        }

        return text.ToString();
    }

    /// <summary>What the statements of one entity type are made of, read from the context's model.</summary>
    /// <param name="Sql">The provider's identifier quoting and parameter naming.</param>
    /// <param name="Head"><c>INSERT INTO "Table" ("A", "B") VALUES </c>, quoted by the provider.</param>
    /// <param name="Columns">The inserted columns: every property but those the database generates.</param>
    /// <param name="RowsPerStatement">
    /// A server database gets as many rows per statement as <see cref="MaxParametersPerStatement"/> allows: one round trip
    /// each. SQLite gets one: it binds each parameter by name with a linear search over the statement's names, so a
    /// statement of n parameters costs O(n²) string comparisons there (12 % of the API's CPU under read load with
    /// 1,250-parameter statements), while in process a statement per row costs no round trip.
    /// </param>
    internal sealed record Shape(ISqlGenerationHelper Sql, string Head, IReadOnlyList<Column> Columns, int RowsPerStatement)
    {
        /// <summary>The text of a statement of <see cref="RowsPerStatement"/> rows.</summary>
        public string FullText { get; } = Text(Sql, Head, Columns.Count, RowsPerStatement);

        /// <summary>The provider's names of a full statement's parameters, in order (<c>@p0</c>, <c>@p1</c>, …).</summary>
        public IReadOnlyList<string> ParameterNames { get; } =
            Enumerable.Range(0, RowsPerStatement * Columns.Count).Select(n => Sql.GenerateParameterName("p" + n)).ToArray();

        /// <summary>The shape of <typeparamref name="T"/>'s rows in <paramref name="db"/>'s model, built once per model.</summary>
        public static Shape Of<T>(DbContext db)
            where T : class
            => Cache<T>.Shapes.GetOrAdd(db.Model, static (_, db) => Build<T>(db), db);

        private static Shape Build<T>(DbContext db)
            where T : class
        {
            var entityType = db.Model.FindEntityType(typeof(T))
                ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity type of {db.GetType().Name}.");
            var tableName = entityType.GetTableName()
                ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
            var table = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            if (entityType.GetProperties().FirstOrDefault(p => p.IsShadowProperty() && !p.IsNullable) is { } required)
            {
                throw new InvalidOperationException($"{typeof(T).Name}.{required.Name} is a required shadow property: no value to insert.");
            }

            var columns = entityType.GetProperties()
                .Where(p => p.ValueGenerated == ValueGenerated.Never)
                .Select(p => new Column(
                    p,
                    p.GetColumnName(table) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column."),
                    (RelationalTypeMapping)p.GetTypeMapping(),
                    // Shadow properties (the lease columns) have no value on a new object: NULL, as SaveChanges sends.
                    p.IsShadowProperty() ? null : p.GetGetter()))
                .ToList();
            var head = $"INSERT INTO {sql.DelimitIdentifier(tableName, entityType.GetSchema())} " +
                $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";
            var rowsPerStatement = db.Database.IsSqlite() ? 1 : Math.Max(1, MaxParametersPerStatement / columns.Count);
            return new Shape(sql, head, columns, rowsPerStatement);
        }
    }

    /// <summary>One shape per model (the model is built once per provider and context type), so per entity type.</summary>
    private static class Cache<T>
        where T : class
    {
        public static readonly ConditionalWeakTable<IModel, Shape> Shapes = new();
    }

    internal sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, IClrPropertyGetter? Getter);
}
