using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// The database an API instance runs on: a provider and a connection string (the app's <c>Database:Provider</c> and
/// <c>ConnectionStrings:Default</c>). Every test database comes from <see cref="CreateDefault"/>, the one place that
/// chooses the provider for a run.
/// </summary>
public sealed record TestDatabase(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>A fresh, empty database for one API instance (SQLite: a new file under the run's folder).</summary>
    public static TestDatabase CreateDefault() => SqliteFile(Path.Combine(TestPaths.Root, Guid.NewGuid().ToString("N") + ".db"));

    /// <summary>A SQLite file (kept after the instance stops, removed when the run ends).</summary>
    public static TestDatabase SqliteFile(string path) => new(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False");

    /// <summary>The SQLite file behind this database (null for a server database), for tests that read the bytes at rest.</summary>
    public string? SqliteFilePath => Provider == DatabaseProvider.Sqlite
        ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource
        : null;

    /// <summary>A context of its own on this database.</summary>
    public AppDbContext NewContext() => new(DbContextOptionsFactory.Create(Provider, ConnectionString));
}
