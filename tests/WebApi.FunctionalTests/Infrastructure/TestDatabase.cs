using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// The database an API instance runs on: a provider and a connection string (the app's <c>Database:Provider</c> and
/// <c>ConnectionStrings:Default</c>). Every test database comes from <see cref="CreateDefault"/>, the one place that
/// chooses the provider for a run.
/// </summary>
public sealed record TestDatabase(DatabaseProvider Provider, string ConnectionString)
{
    private static readonly ConcurrentBag<(string Name, string ConnectionString)> PostgresDatabases = [];

    /// <summary>A PostgreSQL database migrated once per run, copied for every fixture (a copy is much cheaper than migrating).</summary>
    private static readonly Lazy<string> PostgresTemplate = new(CreatePostgresTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The providers the database-backed fixtures run on (their <c>TestFixtureSource</c>).</summary>
    public static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    /// <summary>A fresh, empty database for one API instance (SQLite: a new file under the run's folder).</summary>
    public static TestDatabase CreateDefault() => Create(DatabaseProvider.Sqlite);

    /// <summary>
    /// A fresh database of <paramref name="provider"/> without rows: a new SQLite file under the run's folder (the
    /// instance migrates it), or a database of its own on the test PostgreSQL server (<see cref="PostgresTestServer"/>),
    /// copied from the run's migrated template. Both outlive the API instance (for reading what it wrote on shutdown) and
    /// are removed when the run ends (<see cref="DeleteAll"/>).
    /// </summary>
    public static TestDatabase Create(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql ? Postgres(PostgresTemplate.Value) : CreateEmpty(provider);

    /// <summary>A fresh, empty database without even the schema (for tests of a first start on an empty database).</summary>
    public static TestDatabase CreateEmpty(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteFile(Path.Combine(TestPaths.Root, Guid.NewGuid().ToString("N") + ".db")),
        DatabaseProvider.PostgreSql => Postgres(template: null),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "No test database for this provider."),
    };

    private static TestDatabase Postgres(string? template)
    {
        var connectionString = PostgresTestServer.CreateDatabase(out var name, template);
        PostgresDatabases.Add((name, connectionString));
        return new TestDatabase(DatabaseProvider.PostgreSql, connectionString);
    }

    private static string CreatePostgresTemplate()
    {
        var connectionString = PostgresTestServer.CreateDatabase(out var name);
        PostgresDatabases.Add((name, connectionString));
        using (var db = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.PostgreSql, connectionString)))
        {
            db.Database.Migrate();
        }

        // A template must have no open connections while it is copied.
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        return name;
    }

    /// <summary>Drops every PostgreSQL database this run created (SQLite files go with the run's folder).</summary>
    internal static void DeleteAll()
    {
        while (PostgresDatabases.TryTake(out var database))
        {
            PostgresTestServer.DropDatabase(database.Name, database.ConnectionString);
        }
    }

    /// <summary>A SQLite file (kept after the instance stops, removed when the run ends).</summary>
    public static TestDatabase SqliteFile(string path) => new(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False");

    /// <summary>The SQLite file behind this database (null for a server database), for tests that read the bytes at rest.</summary>
    public string? SqliteFilePath => Provider == DatabaseProvider.Sqlite
        ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource
        : null;

    /// <summary>A context of its own on this database.</summary>
    public AppDbContext NewContext() => new(DbContextOptionsFactory.Create(Provider, ConnectionString));
}
