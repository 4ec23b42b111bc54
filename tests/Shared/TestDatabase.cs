using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.TestDatabases;

/// <summary>
/// A throwaway, empty database for one fixture (or one test): a SQLite file in the temp folder, or a uniquely named
/// database on <see cref="PostgresTestServer"/>. Disposing deletes (drops) it, so fixtures run in parallel without
/// sharing rows.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The providers every database test runs on: the source of provider-matrix fixtures.</summary>
    public static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    private readonly string? _sqliteFile;
    private readonly string? _postgresName;
    private bool _disposed;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteFile, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
        _postgresName = postgresName;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The connection string the service and the tests use for this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database: a new SQLite file path, or <c>CREATE DATABASE</c> on the test server.</summary>
    public static TestDatabase Create(DatabaseProvider provider)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), $"proxmoxlxc-test-{Guid.NewGuid():N}.db");
                return new TestDatabase(provider, $"Data Source={file};Pooling=False", file, null);
            case DatabaseProvider.PostgreSql:
                var connectionString = PostgresTestServer.CreateDatabase(out var name);
                return new TestDatabase(provider, connectionString, null, name);
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "No test database for this provider.");
        }
    }

    public AppDbContext NewContext() => new(DbContextOptionsFactory.Create(Provider, ConnectionString));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_postgresName is not null)
        {
            PostgresTestServer.DropDatabase(_postgresName, ConnectionString);
        }

        if (_sqliteFile is not null)
        {
            foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
            {
                try
                {
                    File.Delete(_sqliteFile + suffix);
                }
                catch (IOException)
                {
                    // A leftover temp file is harmless.
                }
            }
        }
    }
}
