using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.DeleteSnapshot;

internal sealed class DeleteSnapshotCommandValidator : AbstractValidator<DeleteSnapshotCommand>
{
    public DeleteSnapshotCommandValidator() => RuleFor(c => c.Name).SnapshotName();
}
