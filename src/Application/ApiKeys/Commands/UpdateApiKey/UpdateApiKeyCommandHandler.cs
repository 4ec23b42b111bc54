using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.ApiKeys.Commands.UpdateApiKey;

internal sealed class UpdateApiKeyCommandHandler(IApplicationDbContext db, IApiKeyCache keyCache, ICurrentCaller currentCaller, TimeProvider time)
    : ICommandHandler<UpdateApiKeyCommand, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(UpdateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var caller = KeyGrant.CallerOf(currentCaller);
        var key = await KeyGrant.FindManageableAsync(db, caller, command.Id, cancellationToken);
        if (key.IsRevoked)
        {
            throw new ConflictException(ErrorCodes.KeyRevoked, "A revoked key cannot be changed.");
        }

        if (command.Scopes is not null)
        {
            KeyGrant.EnsureCanGrant(caller, new KeyAuthority(command.Scopes, key.Restriction));
        }

        var keepsAdministration = (command.Enabled ?? key.Enabled)
            && Scopes.GrantsKeyAdministration(command.Scopes ?? key.Scopes);
        var getsExpiry = command.ChangesExpiry && command.ExpiresAt is not null;
        if (!keepsAdministration || getsExpiry)
        {
            await KeyGrant.EnsureNotLastAdminAsync(db, key, time, cancellationToken);
        }

        if (command.Scopes is not null)
        {
            key.SetScopes(command.Scopes);
        }

        if (command.Name is not null)
        {
            key.Rename(command.Name);
        }

        if (command.ChangesExpiry)
        {
            key.SetExpiry(command.ExpiresAt);
        }

        if (command.Enabled is { } enabled)
        {
            if (enabled)
            {
                key.Enable();
            }
            else
            {
                key.Disable();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        keyCache.Invalidate(key.Id);
        return key.ToDto();
    }
}
