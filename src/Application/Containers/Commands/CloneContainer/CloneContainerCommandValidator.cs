using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.CloneContainer;

internal sealed class CloneContainerCommandValidator : AbstractValidator<CloneContainerCommand>
{
    public CloneContainerCommandValidator()
    {
        RuleFor(c => c.NewVmId).VmId().OverridePropertyName("newVmid");
        RuleFor(c => c.Hostname).NotEmpty().Hostname();
        RuleFor(c => c.TargetNode).NodeName().When(c => c.TargetNode is not null);
        RuleFor(c => c.TargetStorage).StorageIdentifier().When(c => c.TargetStorage is not null);
        RuleFor(c => c.TargetStorage).Null().When(c => !c.Full).WithMessage("'targetStorage' needs a full clone ('full': true).");
    }
}
