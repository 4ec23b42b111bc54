using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(32).IsUnicode(false);
        builder.Property(k => k.Name).HasMaxLength(100).IsRequired();
        builder.Property(k => k.SecretHash).HasMaxLength(32).IsRequired();
        builder.Property(k => k.ScopeList).HasColumnName("Scopes").HasMaxLength(256).IsUnicode(false).IsRequired();
        builder.Property(k => k.AllowedNodeList).HasColumnName("AllowedNodes").HasMaxLength(2000);
        builder.Property(k => k.AllowedPoolList).HasColumnName("AllowedPools").HasMaxLength(2000);
        builder.Property(k => k.CreatedBy).HasMaxLength(32);
        builder.Ignore(k => k.Scopes);
        builder.Ignore(k => k.Restriction);
        builder.Ignore(k => k.IsRevoked);
        builder.Ignore(k => k.HoldsKeyAdministration);
        builder.HasIndex(k => new { k.Enabled, k.RevokedAt });
    }
}
