using Microsoft.EntityFrameworkCore.Design;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Migrations.PostgreSql;

/// <summary>Lets `dotnet ef` build the context for this provider without the web host (no database is contacted).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsFactory.Create(DatabaseProvider.PostgreSql, "Host=localhost;Database=proxmoxlxc;Username=postgres;Password=design-time-only"));
}
