using FluentValidation;
using ProxmoxLxc.Application.Common.Validation;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.ApiKeys;

internal static class ApiKeyRules
{
    public const int MaxNameLength = 100;

    /// <summary>Most names an <c>allowedNodes</c> or <c>allowedPools</c> list may hold.</summary>
    public const int MaxRestrictionNames = 64;

    public static void ValidName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().SingleLinePlainText(MaxNameLength);

    public static void ValidScopes<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.NotEmpty().WithMessage("At least one scope is required.")
            .Must(s => s is null || s.All(Scopes.IsKnown))
            .WithMessage($"Unknown scope. Known scopes: {string.Join(", ", Scopes.All)}.");

    /// <summary>At most <see cref="MaxRestrictionNames"/> names, none twice (each name is checked on its own element).</summary>
    public static void DistinctNames<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(names => names is null || names.Count <= MaxRestrictionNames)
            .WithMessage($"'{{PropertyName}}' holds at most {MaxRestrictionNames} names.")
            .Must(names => names is null || names.Count > MaxRestrictionNames || names.Distinct(StringComparer.Ordinal).Count() == names.Count)
            .WithMessage("'{PropertyName}' names an entry twice.");

    public static void InFuture<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider time) =>
        rule.Must(e => e is null || e > time.GetUtcNow()).WithMessage("'expiresAt' must be in the future.");
}
