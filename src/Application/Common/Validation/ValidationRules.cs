using System.Text.RegularExpressions;
using FluentValidation;

namespace ProxmoxLxc.Application.Common.Validation;

/// <summary>Reusable rules. Every string that may reach Proxmox is single-line and option-free.</summary>
public static partial class ValidationRules
{
    /// <summary>Proxmox node names (hostname label). Anchored with <c>\z</c>: <c>$</c> would accept a trailing newline.</summary>
    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\z", RegexOptions.CultureInvariant)]
    public static partial Regex NodeName();

    /// <summary>Proxmox pool ids (pve-poolid).</summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z", RegexOptions.CultureInvariant)]
    public static partial Regex PoolId();

    /// <summary>True when <paramref name="value"/> is one line: no control characters (CR, LF, NUL, U+0085…) and no
    /// Unicode line or paragraph separator (U+2028, U+2029).</summary>
    public static bool IsSingleLine(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    public static IRuleBuilderOptions<T, string?> SingleLinePlainText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength)
            .Must(IsSingleLine)
            .WithMessage("'{PropertyName}' must be a single line without control characters or line separators.");

    public static IRuleBuilderOptions<T, string> MatchesPattern<T>(this IRuleBuilder<T, string> rule, Regex regex, string what) =>
        rule.Must(v => v is not null && regex.IsMatch(v)).WithMessage($"'{{PropertyValue}}' is not a valid {what}.");
}
