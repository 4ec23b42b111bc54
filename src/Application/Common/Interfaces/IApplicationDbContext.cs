using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

public interface IApplicationDbContext
{
    DbSet<ApiKey> ApiKeys { get; }

    DbSet<OperationLog> OperationLogs { get; }

    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);
}
