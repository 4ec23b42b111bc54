using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;

internal sealed class CreateApiKeyCommandHandler(
    IApplicationDbContext db, IApiKeySecrets secrets, ICurrentCaller currentCaller, TimeProvider time)
    : ICommandHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public async ValueTask<CreatedApiKeyDto> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var caller = KeyGrant.CallerOf(currentCaller);
        var restriction = command.ToRestriction();
        KeyGrant.EnsureCanGrant(caller, new KeyAuthority(command.Scopes, restriction));

        var generated = secrets.Generate();
        var key = ApiKey.Issue(generated.KeyId, command.Name, generated.SecretHash, command.Scopes, restriction,
            command.ExpiresAt, time.GetUtcNow(), caller.KeyId);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKeyDto(generated.Plaintext, key.ToDto());
    }
}
