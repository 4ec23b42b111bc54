using FluentValidation;

namespace ProxmoxLxc.Application.ApiKeys.Commands.UpdateApiKey;

internal sealed class UpdateApiKeyCommandValidator : AbstractValidator<UpdateApiKeyCommand>
{
    public UpdateApiKeyCommandValidator(TimeProvider time)
    {
        When(c => c.Name is not null, () => RuleFor(c => c.Name).ValidName());
        When(c => c.Scopes is not null, () => RuleFor(c => c.Scopes).ValidScopes());
        RuleFor(c => c.ExpiresAt).InFuture(time);
        RuleFor(c => c).Must(c => c.Name is not null || c.Scopes is not null || c.Enabled is not null || c.ChangesExpiry)
            .WithName("$").WithMessage("Give at least one of name, scopes, enabled, expiresAt.");
    }
}
