using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;

/// <summary>Keys ordered by id; the cursor is the last id of the previous page.</summary>
public sealed record ListApiKeysQuery(int? Limit = null, string? Cursor = null) : IAppQuery<Page<ApiKeyDto>>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;
}
