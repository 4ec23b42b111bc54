using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Common.Validation;

namespace ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;

internal sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator(TimeProvider time)
    {
        RuleFor(c => c.Name).ValidName();
        RuleFor(c => c.Scopes).ValidScopes();
        RuleFor(c => c.ExpiresAt).InFuture(time);
        RuleForEach(c => c.AllowedNodes).Satisfies(ProxmoxSyntax.IsNodeName, "node name");
        RuleForEach(c => c.AllowedPools).Satisfies(ProxmoxSyntax.IsPoolId, "pool id");
        RuleFor(c => c.VmIdRange).ChildRules(range =>
        {
            range.RuleFor(r => r!.Min).InclusiveBetween(100, 999_999_999);
            range.RuleFor(r => r!.Max).InclusiveBetween(100, 999_999_999)
                .GreaterThanOrEqualTo(r => r!.Min).WithMessage("'max' must not be below 'min'.");
        }).When(c => c.VmIdRange is not null);
    }
}
