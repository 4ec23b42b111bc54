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
        RuleFor(c => c.AllowedNodes).DistinctNames();
        RuleFor(c => c.AllowedPools).DistinctNames();
        When(c => c.AllowedNodes is not { Count: > ApiKeyRules.MaxRestrictionNames },
            () => RuleForEach(c => c.AllowedNodes).Satisfies(ProxmoxSyntax.IsNodeName, "node name"));
        When(c => c.AllowedPools is not { Count: > ApiKeyRules.MaxRestrictionNames },
            () => RuleForEach(c => c.AllowedPools).Satisfies(ProxmoxSyntax.IsPoolId, "pool id"));
        RuleFor(c => c.VmIdRange).ChildRules(range =>
        {
            range.RuleFor(r => r!.Min).InclusiveBetween(ProxmoxSyntax.MinVmId, ProxmoxSyntax.MaxVmId);
            range.RuleFor(r => r!.Max).InclusiveBetween(ProxmoxSyntax.MinVmId, ProxmoxSyntax.MaxVmId)
                .GreaterThanOrEqualTo(r => r!.Min).WithMessage("'max' must not be below 'min'.");
        }).When(c => c.VmIdRange is not null);
    }
}
