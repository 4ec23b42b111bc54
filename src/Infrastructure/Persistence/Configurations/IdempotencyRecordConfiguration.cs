using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Infrastructure.Leasing;

namespace ProxmoxLxc.Infrastructure.Persistence.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.Property(r => r.ApiKeyId).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(r => r.Key).HasMaxLength(255).IsUnicode(false).IsRequired();
        builder.Property(r => r.RequestHash).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(r => r.Action).HasMaxLength(100).IsUnicode(false).IsRequired();

        // One claim per (API key, Idempotency-Key): the database decides which of two concurrent requests wins.
        builder.HasIndex(r => new { r.ApiKeyId, r.Key }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);

        // Which instance runs the claim's request and until when (see RowLeases and IdempotencyClaims): an unlinked claim
        // whose lease ran out is taken over by a retry.
        RowLeases.Configure(builder);
    }
}
