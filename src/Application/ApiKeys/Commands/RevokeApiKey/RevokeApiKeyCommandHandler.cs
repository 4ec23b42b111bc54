using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.ApiKeys.Commands.RevokeApiKey;

internal sealed class RevokeApiKeyCommandHandler(IApplicationDbContext db, IApiKeyCache keyCache, ICurrentCaller currentCaller, TimeProvider time)
    : ICommandHandler<RevokeApiKeyCommand, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await KeyGrant.FindManageableAsync(db, KeyGrant.CallerOf(currentCaller), command.Id, cancellationToken);
        await KeyGrant.EnsureNotLastAdminAsync(db, key, time, cancellationToken);
        key.Revoke(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        keyCache.Invalidate(key.Id);
        return key.ToDto();
    }
}
