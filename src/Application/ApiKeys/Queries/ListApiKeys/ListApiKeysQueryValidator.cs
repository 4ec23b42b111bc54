using FluentValidation;

namespace ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;

internal sealed class ListApiKeysQueryValidator : AbstractValidator<ListApiKeysQuery>
{
    public ListApiKeysQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, ListApiKeysQuery.MaxLimit);
        RuleFor(q => q.Cursor).MaximumLength(64).Matches("^[A-Za-z0-9]+\\z").WithMessage("'cursor' is not a valid cursor.");
    }
}
