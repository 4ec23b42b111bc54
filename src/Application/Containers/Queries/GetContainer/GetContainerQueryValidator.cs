using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainer;

internal sealed class GetContainerQueryValidator : AbstractValidator<GetContainerQuery>
{
    public GetContainerQueryValidator() => RuleFor(q => q.VmId).ValidVmId();
}
