using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.ApiKeys.Queries.GetApiKey;

internal sealed class GetApiKeyQueryHandler(IApplicationDbContext db) : IQueryHandler<GetApiKeyQuery, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(GetApiKeyQuery query, CancellationToken cancellationToken) =>
        (await KeyGrant.FindAsync(db, query.Id, cancellationToken)).ToDto();
}
