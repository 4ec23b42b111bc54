using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.ApiKeys.Commands.RotateApiKey;

internal sealed class RotateApiKeyCommandHandler(IApplicationDbContext db, IApiKeyCache keyCache, IApiKeySecrets secrets, ICurrentCaller currentCaller, TimeProvider time)
    : ICommandHandler<RotateApiKeyCommand, CreatedApiKeyDto>
{
    public async ValueTask<CreatedApiKeyDto> Handle(RotateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await KeyGrant.FindManageableAsync(db, KeyGrant.CallerOf(currentCaller), command.Id, cancellationToken);
        if (key.IsRevoked)
        {
            throw new ConflictException(ErrorCodes.KeyRevoked, "A revoked key cannot be rotated.");
        }

        var generated = secrets.Regenerate(key.Id);
        key.Rotate(generated.SecretHash, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        keyCache.Invalidate(key.Id);
        return new CreatedApiKeyDto(generated.Plaintext, key.ToDto());
    }
}
