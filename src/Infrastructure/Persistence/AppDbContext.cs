using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.Infrastructure.Persistence.Configurations;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.Persistence;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options), IApplicationDbContext
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<OperationLog> OperationLogs => Set<OperationLog>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    internal DbSet<KeyChangeStamp> KeyChangeStamps => Set<KeyChangeStamp>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampKeyChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampKeyChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public DbSet<ApiEvent> Events => Set<ApiEvent>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>
    /// The configurations, named one by one: scanning the assembly for them would load every type in it, and with them
    /// the assemblies of options not in use (Redis, the other database providers).
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfiguration(new ApiKeyConfiguration());
        modelBuilder.ApplyConfiguration(new KeyChangeStampConfiguration());
        modelBuilder.ApplyConfiguration(new OperationLogConfiguration());
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration());
        modelBuilder.ApplyConfiguration(new ApiEventConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
    }

    /// <summary>
    /// Times are stored as UTC <see cref="DateTime"/> on every provider: SQLite cannot order or compare
    /// <see cref="DateTimeOffset"/> in SQL, SQL Server keeps <c>datetime2</c>, and PostgreSQL keeps
    /// <c>timestamp with time zone</c> (microseconds; Npgsql requires UTC kinds there, which this conversion gives).
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>
    /// A change to a stored key that authentication reads — anything but its last-use time — renews the
    /// <see cref="KeyChangeStamp"/> in the same <c>SaveChanges</c>, hence in the same transaction, so other instances
    /// cannot see the change without the new stamp. (A new key needs no stamp: unknown ids are never cached.)
    /// </summary>
    private void StampKeyChanges()
    {
        var keysChanged = ChangeTracker.Entries<ApiKey>().Any(e =>
            e.State == EntityState.Deleted ||
            (e.State == EntityState.Modified && e.Properties.Any(p => p.IsModified && p.Metadata.Name != nameof(ApiKey.LastUsedAt))));
        if (!keysChanged)
        {
            return;
        }

        var stamp = KeyChangeStamps.Local.SingleOrDefault();
        if (stamp is null)
        {
            stamp = new KeyChangeStamp();
            KeyChangeStamps.Attach(stamp);
        }

        stamp.Renew();
        Entry(stamp).Property(s => s.Value).IsModified = true;
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
        v => v.UtcDateTime,
        v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));
}
