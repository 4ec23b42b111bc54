using FluentValidation;

namespace ProxmoxLxc.Application.Webhooks.Commands.UpdateWebhook;

internal sealed class UpdateWebhookCommandValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookCommandValidator()
    {
        When(c => c.Url is not null, () => RuleFor(c => c.Url).ValidUrl());
        When(c => c.Events is not null, () => RuleFor(c => c.Events).ValidEvents());
        RuleFor(c => c.Secret).ValidSecret();
        RuleFor(c => c).Must(c => c.Url is not null || c.Events is not null || c.Secret is not null || c.Enabled is not null)
            .WithName("$").WithMessage("Give at least one of url, events, secret, enabled.");
    }
}
