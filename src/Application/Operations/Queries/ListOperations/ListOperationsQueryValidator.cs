using FluentValidation;

namespace ProxmoxLxc.Application.Operations.Queries.ListOperations;

internal sealed class ListOperationsQueryValidator : AbstractValidator<ListOperationsQuery>
{
    public ListOperationsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, ListOperationsQuery.MaxLimit);
        RuleFor(q => q.VmId).InclusiveBetween(100, 999_999_999);
        RuleFor(q => q.KeyId).MaximumLength(64);
        RuleFor(q => q.Action).MaximumLength(100);
        RuleFor(q => q.Outcome)
            .Must(o => o is null || OperationMapper.TryParseStatus(o, out _))
            .WithMessage("'outcome' must be one of running, succeeded, failed, rejected.");
        RuleFor(q => q.Cursor)
            .Must(c => c is null || OperationCursor.TryDecode(c, out _))
            .WithMessage("'cursor' is not a valid cursor.");
        RuleFor(q => q.To)
            .Must((q, to) => q.From is null || to is null || q.From <= to)
            .WithMessage("'to' must not be before 'from'.");
    }
}
