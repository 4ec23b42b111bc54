using FluentValidation;

namespace ProxmoxLxc.Application.Webhooks.Commands.CreateWebhook;

internal sealed class CreateWebhookCommandValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator()
    {
        RuleFor(c => c.Url).ValidUrl();
        RuleFor(c => c.Events).ValidEvents();
        RuleFor(c => c.Secret).ValidSecret();
    }
}
