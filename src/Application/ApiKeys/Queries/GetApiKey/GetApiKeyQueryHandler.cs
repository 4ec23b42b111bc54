using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.ApiKeys.Queries.GetApiKey;

internal sealed class GetApiKeyQueryHandler(IApplicationDbContext db, ICurrentCaller currentCaller) : IQueryHandler<GetApiKeyQuery, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(GetApiKeyQuery query, CancellationToken cancellationToken) =>
        (await KeyGrant.FindManageableAsync(db, KeyGrant.CallerOf(currentCaller), query.Id, cancellationToken)).ToDto();
}
