using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>Both providers' migrations match the model, and the committed SQL Server script is current.</summary>
public class ModelDriftTests
{
    private const string DummySqlServer = "Server=localhost;Database=ProxmoxLxc;User Id=sa;Password=not-used;TrustServerCertificate=True";

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
    public void Migrations_BothProviders_HaveTheSameMigrationNames()
    {
        using var sqlite = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.Sqlite, "Data Source=:memory:"));
        using var sqlServer = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, DummySqlServer));

        static IEnumerable<string> Names(AppDbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_', StringComparison.Ordinal) + 1)..]);

        Assert.Multiple(() =>
        {
            Assert.That(sqlite.Database.GetMigrations(), Is.Not.Empty);
            Assert.That(Names(sqlite), Is.EqualTo(Names(sqlServer)));
        });
    }

    [Test]
    public void SqlServerScript_Committed_MatchesTheMigrations()
    {
        var path = Path.Combine(RepositoryRoot(), "migrations", "sqlserver", "schema.sql");
        using var db = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, DummySqlServer));

        var generated = db.GetService<IMigrator>().GenerateScript(
            options: MigrationsSqlGenerationOptions.Idempotent | MigrationsSqlGenerationOptions.Script);

        Assert.That(Normalize(File.ReadAllText(path)), Is.EqualTo(Normalize(generated)),
            "migrations/sqlserver/schema.sql is stale: regenerate it with dotnet ef migrations script --idempotent " +
            "--project src/Migrations.SqlServer --startup-project src/Migrations.SqlServer --context AppDbContext -o migrations/sqlserver/schema.sql");
    }

    [Test]
    public async Task Migrate_EmptySqliteFile_CreatesTheTables()
    {
        await using var host = await InfrastructureHost.StartAsync();
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
