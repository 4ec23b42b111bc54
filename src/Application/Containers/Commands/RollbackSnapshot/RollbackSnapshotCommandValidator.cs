using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.RollbackSnapshot;

internal sealed class RollbackSnapshotCommandValidator : AbstractValidator<RollbackSnapshotCommand>
{
    public RollbackSnapshotCommandValidator() => RuleFor(c => c.Name).SnapshotName();
}
