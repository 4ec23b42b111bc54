using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.Infrastructure.Persistence.Configurations;

internal sealed class ApiEventConfiguration : IEntityTypeConfiguration<ApiEvent>
{
    public void Configure(EntityTypeBuilder<ApiEvent> builder)
    {
        builder.ToTable("Events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Type).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(e => e.KeyId).HasMaxLength(32).IsUnicode(false);
        builder.Property(e => e.Node).HasMaxLength(64);
        builder.Property(e => e.Pool).HasMaxLength(64);
        builder.Property(e => e.Data).IsRequired();

        // Readers page by Id; retention prunes by time; the last recorded state of a container (one container.state event
        // per change) is one index seek.
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.VmId, e.Type, e.Id });
    }
}
