using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerMetrics;

internal sealed class GetContainerMetricsQueryValidator : AbstractValidator<GetContainerMetricsQuery>
{
    public GetContainerMetricsQueryValidator()
    {
        RuleFor(q => q.VmId).ValidVmId();
        RuleFor(q => q.Timeframe)
            .Must(t => t is null || GetContainerMetricsQuery.Timeframes.Contains(t, StringComparer.Ordinal))
            .WithMessage($"'timeframe' must be one of {string.Join(", ", GetContainerMetricsQuery.Timeframes)}.");
        RuleFor(q => q.Cf)
            .Must(c => c is null || GetContainerMetricsQuery.ConsolidationFunctions.Contains(c, StringComparer.Ordinal))
            .WithMessage($"'cf' must be one of {string.Join(", ", GetContainerMetricsQuery.ConsolidationFunctions)}.");
    }
}
