using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

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
