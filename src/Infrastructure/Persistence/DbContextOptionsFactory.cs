using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>Configures <see cref="AppDbContext"/> for a provider; shared by the app, the design-time factories and tests.</summary>
public static class DbContextOptionsFactory
{
    public static void Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var migrations = DatabaseOptions.MigrationsAssemblyFor(provider);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(connectionString, o => o.MigrationsAssembly(migrations));
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(connectionString, o =>
                {
                    o.MigrationsAssembly(migrations);
                    o.EnableRetryOnFailure();
                });
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(connectionString, o =>
                {
                    o.MigrationsAssembly(migrations);
                    o.EnableRetryOnFailure();
                });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public static DbContextOptions<AppDbContext> Create(DatabaseProvider provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        Configure(builder, provider, connectionString);
        return builder.Options;
    }

    /// <summary>
    /// Makes a fresh (not yet opened) context give up on an unavailable database after <paramref name="timeout"/>:
    /// SQLite's busy timeout (it also bounds <c>BEGIN IMMEDIATE</c>), SQL Server's connect timeout, and the command timeout.
    /// </summary>
    public static void LimitWaits(DatabaseFacade database, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(database);
        var seconds = (int)Math.Max(1, Math.Ceiling(timeout.TotalSeconds));
        var connectionString = database.GetConnectionString() ?? string.Empty;
        if (database.IsSqlite())
        {
            database.SetConnectionString(new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = seconds }.ToString());
        }
        else if (database.IsSqlServer())
        {
            database.SetConnectionString(new SqlConnectionStringBuilder(connectionString) { ConnectTimeout = seconds }.ToString());
        }

        database.SetCommandTimeout(seconds);
    }

    /// <summary>Makes sure the folder of a SQLite file exists.</summary>
    public static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
    }
}
