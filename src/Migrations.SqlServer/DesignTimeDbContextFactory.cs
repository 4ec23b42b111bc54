using Microsoft.EntityFrameworkCore.Design;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Migrations.SqlServer;

/// <summary>Lets `dotnet ef` build the context for this provider without the web host (no database is contacted).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, "Server=localhost;Database=ProxmoxLxc;Trusted_Connection=False;User Id=sa;Password=design-time-only;TrustServerCertificate=True"));
}
