using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Leasing;

namespace ProxmoxLxc.Infrastructure.Persistence.Configurations;

internal sealed class OperationLogConfiguration : IEntityTypeConfiguration<OperationLog>
{
    public void Configure(EntityTypeBuilder<OperationLog> builder)
    {
        builder.ToTable("OperationLogs");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedOnAdd();
        builder.Property(o => o.RequestId).HasMaxLength(128).IsRequired();
        builder.Property(o => o.KeyId).HasMaxLength(32).IsUnicode(false);
        builder.Property(o => o.KeyName).HasMaxLength(100);
        builder.Property(o => o.Action).HasMaxLength(100).IsUnicode(false).IsRequired();
        builder.Property(o => o.Method).HasMaxLength(10).IsUnicode(false).IsRequired();
        builder.Property(o => o.Path).HasMaxLength(2048).IsRequired();
        builder.Property(o => o.Node).HasMaxLength(64);
        // Writes after the first are conditional on the row still running (and on the lease, below): an operation ends once.
        builder.Property(o => o.Outcome).HasConversion<string>().HasMaxLength(16).IsUnicode(false).IsConcurrencyToken();
        builder.Property(o => o.ErrorCode).HasMaxLength(64).IsUnicode(false);
        builder.Property(o => o.Error).HasMaxLength(4000);
        builder.Property(o => o.TaskId).HasMaxLength(256);
        builder.Property(o => o.ExitStatus).HasMaxLength(1000);
        builder.Property(o => o.ClientAddress).HasMaxLength(64);
        builder.Ignore(o => o.IsCompleted);

        // Which instance works on the row (its call, then its task follower) and until when: see RowLeases.
        RowLeases.Configure(builder);

        // Indexes for the audit filters; the keyset order is (RequestedAt desc, Id desc).
        builder.HasIndex(o => new { o.RequestedAt, o.Id });
        builder.HasIndex(o => new { o.KeyId, o.RequestedAt });
        builder.HasIndex(o => new { o.VmId, o.RequestedAt });
        builder.HasIndex(o => new { o.Action, o.RequestedAt });
        builder.HasIndex(o => new { o.Outcome, o.RequestedAt });

        // One Proxmox task is followed by one operation: two instances' reconcilers that found the same task for two lost
        // rows cannot both attach it (the second write fails; see OperationLogStore.AttachTaskAsync). Unique among the
        // rows that have a task (NULLs are distinct; SQL Server gets the filter "TaskId IS NOT NULL").
        builder.HasIndex(o => o.TaskId).IsUnique();
    }
}
