using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.Persistence.Configurations;

internal sealed class KeyChangeStampConfiguration : IEntityTypeConfiguration<KeyChangeStamp>
{
    public void Configure(EntityTypeBuilder<KeyChangeStamp> builder)
    {
        builder.ToTable("KeyChangeStamps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        // The single row exists from the migration on: a change only ever updates it.
        builder.HasData(new { Id = KeyChangeStamp.RowId, Value = Guid.Empty });
    }
}
