using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Domain.Webhooks;

namespace ProxmoxLxc.Application.Common.Interfaces;

public interface IApplicationDbContext
{
    DbSet<ApiKey> ApiKeys { get; }

    DbSet<OperationLog> OperationLogs { get; }

    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    DbSet<Webhook> Webhooks { get; }

    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);
}
