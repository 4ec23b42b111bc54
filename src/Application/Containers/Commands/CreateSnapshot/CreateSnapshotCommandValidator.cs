using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.CreateSnapshot;

internal sealed class CreateSnapshotCommandValidator : AbstractValidator<CreateSnapshotCommand>
{
    public CreateSnapshotCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().SnapshotName();
        RuleFor(c => c.Description).Description();
    }
}
