using FluentValidation;
using ProxmoxLxc.Application.Common.Validation;

namespace ProxmoxLxc.Application.Containers.Commands.CreateSnapshot;

internal sealed class CreateSnapshotCommandValidator : AbstractValidator<CreateSnapshotCommand>
{
    public CreateSnapshotCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().SnapshotName();
        // Only a container's description may span lines (contract); a snapshot's is one line.
        RuleFor(c => c.Description).SingleLinePlainText(ContainerRules.MaxDescriptionLength);
    }
}
