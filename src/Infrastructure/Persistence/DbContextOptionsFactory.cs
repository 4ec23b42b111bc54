using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// Configures <see cref="AppDbContext"/> for a provider; shared by the app, the design-time factories and tests. Each
/// provider's code sits in a method of its own that is never inlined, so only the provider in use is loaded (the others'
/// assemblies stay unmapped).
/// </summary>
public static class DbContextOptionsFactory
{
    /// <summary>EF Core's provider names (as <see cref="DatabaseFacade.ProviderName"/> gives them).</summary>
    internal const string SqlServerProviderName = "Microsoft.EntityFrameworkCore.SqlServer";

    internal const string NpgsqlProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

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
                UseSqlServer(builder, connectionString, migrations);
                break;
            case DatabaseProvider.PostgreSql:
                UseNpgsql(builder, connectionString, migrations);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseSqlServer(DbContextOptionsBuilder builder, string connectionString, string migrations) =>
        builder.UseSqlServer(connectionString, o =>
        {
            o.MigrationsAssembly(migrations);
            o.EnableRetryOnFailure();
        });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseNpgsql(DbContextOptionsBuilder builder, string connectionString, string migrations) =>
        builder.UseNpgsql(connectionString, o =>
        {
            o.MigrationsAssembly(migrations);
            o.EnableRetryOnFailure();
        });

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
        else if (database.ProviderName == SqlServerProviderName)
        {
            database.SetConnectionString(WithSqlServerConnectTimeout(connectionString, seconds));
        }

        database.SetCommandTimeout(seconds);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string WithSqlServerConnectTimeout(string connectionString, int seconds) =>
        new SqlConnectionStringBuilder(connectionString) { ConnectTimeout = seconds }.ToString();

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
