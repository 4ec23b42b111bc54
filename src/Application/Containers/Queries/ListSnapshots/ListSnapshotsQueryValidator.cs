using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Queries.ListSnapshots;

internal sealed class ListSnapshotsQueryValidator : AbstractValidator<ListSnapshotsQuery>
{
    public ListSnapshotsQueryValidator() => RuleFor(q => q.VmId).ValidVmId();
}
