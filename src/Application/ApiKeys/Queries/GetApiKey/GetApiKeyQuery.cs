using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.ApiKeys.Queries.GetApiKey;

public sealed record GetApiKeyQuery(string Id) : IAppQuery<ApiKeyDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;
}
