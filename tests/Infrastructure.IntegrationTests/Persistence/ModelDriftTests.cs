using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>Every provider's migrations match the model, and the committed server scripts are current.</summary>
public class ModelDriftTests
{
    private const string DummySqlServer = "Server=localhost;Database=ProxmoxLxc;User Id=sa;Password=not-used;TrustServerCertificate=True";
    private const string DummyPostgreSql = "Host=localhost;Database=proxmoxlxc;Username=postgres;Password=not-used";

    [Test]
    public void HasPendingModelChanges_Sqlite_IsFalse()
    {
        using var db = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.Sqlite, "Data Source=:memory:"));

        Assert.That(db.Database.HasPendingModelChanges(), Is.False,
            "The model changed without a SQLite migration: add one in src/Migrations.Sqlite.");
    }

    [Test]
    public void HasPendingModelChanges_SqlServer_IsFalse()
    {
        using var db = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, DummySqlServer));

        Assert.That(db.Database.HasPendingModelChanges(), Is.False,
            "The model changed without a SQL Server migration: add one in src/Migrations.SqlServer.");
    }

    [Test]
    public void HasPendingModelChanges_PostgreSql_IsFalse()
    {
        using var db = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.PostgreSql, DummyPostgreSql));

        Assert.That(db.Database.HasPendingModelChanges(), Is.False,
            "The model changed without a PostgreSQL migration: add one in src/Migrations.PostgreSql.");
    }

    [Test]
    public void ProviderNames_AsTheCodeComparesThem_AreEfCoresOwn()
    {
        using var sqlServer = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, DummySqlServer));
        using var postgreSql = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.PostgreSql, DummyPostgreSql));

        Assert.Multiple(() =>
        {
            Assert.That(sqlServer.Database.IsSqlServer() && sqlServer.Database.ProviderName == DbContextOptionsFactory.SqlServerProviderName, Is.True);
            Assert.That(postgreSql.Database.IsNpgsql() && postgreSql.Database.ProviderName == DbContextOptionsFactory.NpgsqlProviderName, Is.True);
        });
    }

    [Test]
    public void Migrations_EveryProvider_HaveTheSameMigrationNames()
    {
        using var sqlite = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.Sqlite, "Data Source=:memory:"));
        using var sqlServer = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, DummySqlServer));
        using var postgreSql = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.PostgreSql, DummyPostgreSql));

        static string NameOf(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];

        // PostgreSQL arrived later with one initial migration for the whole model; every migration after it exists
        // for all three providers.
        var baseline = postgreSql.Database.GetMigrations().First();
        IEnumerable<string> After(AppDbContext db) =>
            db.Database.GetMigrations().Where(m => string.CompareOrdinal(m, baseline) > 0).Select(NameOf);

        Assert.Multiple(() =>
        {
            Assert.That(sqlite.Database.GetMigrations(), Is.Not.Empty);
            Assert.That(sqlite.Database.GetMigrations().Select(NameOf), Is.EqualTo(sqlServer.Database.GetMigrations().Select(NameOf)));
            Assert.That(NameOf(baseline), Is.EqualTo("InitialCreate"));
            Assert.That(postgreSql.Database.GetMigrations().Skip(1).Select(NameOf), Is.EqualTo(After(sqlite)));
        });
    }

    [TestCase(DatabaseProvider.SqlServer, "sqlserver", "src/Migrations.SqlServer")]
    [TestCase(DatabaseProvider.PostgreSql, "postgresql", "src/Migrations.PostgreSql")]
    public void ServerScript_Committed_MatchesTheMigrations(DatabaseProvider provider, string folder, string project)
    {
        var path = Path.Combine(RepositoryRoot(), "migrations", folder, "schema.sql");
        using var db = new AppDbContext(DbContextOptionsFactory.Create(provider,
            provider == DatabaseProvider.SqlServer ? DummySqlServer : DummyPostgreSql));

        var generated = db.GetService<IMigrator>().GenerateScript(
            options: MigrationsSqlGenerationOptions.Idempotent | MigrationsSqlGenerationOptions.Script);

        Assert.That(Normalize(File.ReadAllText(path)), Is.EqualTo(Normalize(generated)),
            $"migrations/{folder}/schema.sql is stale: regenerate it with dotnet ef migrations script --idempotent " +
            $"--project {project} --startup-project {project} --context AppDbContext -o migrations/{folder}/schema.sql");
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
    public async Task Migrate_EmptyDatabase_CreatesTheTables(DatabaseProvider provider)
    {
        await using var host = await InfrastructureHost.StartAsync(provider);
        await using var db = host.NewContext();

        Assert.Multiple(async () =>
        {
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
            Assert.That(await db.ApiKeys.CountAsync(), Is.EqualTo(1));
            Assert.That(await db.OperationLogs.CountAsync(), Is.Zero);
        });
    }

    private static string Normalize(string script)
    {
        var lines = script.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            .Split('\n').Select(l => l.TrimEnd());
        return string.Join('\n', lines).Trim();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProxmoxLxc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("ProxmoxLxc.sln not found above " + AppContext.BaseDirectory);
    }
}
