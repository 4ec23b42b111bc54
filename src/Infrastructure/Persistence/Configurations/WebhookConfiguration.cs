using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.Infrastructure.Leasing;

namespace ProxmoxLxc.Infrastructure.Persistence.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("Webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasMaxLength(32).IsUnicode(false);
        builder.Property(w => w.OwnerKeyId).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(w => w.Url).HasMaxLength(2048).IsRequired();
        builder.Property(w => w.EventList).HasColumnName("Events").HasMaxLength(256).IsUnicode(false).IsRequired();
        builder.Property(w => w.SecretCipher).HasMaxLength(128).IsRequired();
        builder.Property(w => w.DisabledReason).HasMaxLength(32).IsUnicode(false);
        builder.Ignore(w => w.Events);
        builder.HasIndex(w => w.OwnerKeyId);

        // Which instance delivers to the webhook and until when: see RowLeases.
        RowLeases.Configure(builder);
        builder.HasIndex(nameof(Webhook.Enabled), RowLeases.UntilColumn);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedOnAdd();
        builder.Property(d => d.WebhookId).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(d => d.MessageId).HasMaxLength(100).IsUnicode(false).IsRequired();
        builder.Property(d => d.Type).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(d => d.Body).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16).IsUnicode(false);
        builder.Property(d => d.Error).HasMaxLength(1000);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.WebhookId, d.Status, d.Id });
    }
}
