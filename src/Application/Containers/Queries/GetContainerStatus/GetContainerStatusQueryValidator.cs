using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatus;

internal sealed class GetContainerStatusQueryValidator : AbstractValidator<GetContainerStatusQuery>
{
    public GetContainerStatusQueryValidator() => RuleFor(q => q.VmId).ValidVmId();
}
