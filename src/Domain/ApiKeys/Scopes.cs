namespace ProxmoxLxc.Domain.ApiKeys;

/// <summary>The scopes an API key can hold (see the contract). <see cref="Admin"/> implies every other scope.</summary>
public static class Scopes
{
    public const string ContainersRead = "containers:read";
    public const string ContainersPower = "containers:power";
    public const string ContainersWrite = "containers:write";
    public const string AuditRead = "audit:read";
    public const string WebhooksAdmin = "webhooks:admin";
    public const string KeysAdmin = "keys:admin";
    public const string Admin = "admin";

    /// <summary>"Read your own operations, or any operation with audit:read".</summary>
    public const string OperationsRead = ContainersRead + "|" + AuditRead;

    public static IReadOnlyList<string> All { get; } =
        [ContainersRead, ContainersPower, ContainersWrite, AuditRead, WebhooksAdmin, KeysAdmin, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="held"/> satisfies <paramref name="required"/>. A requirement may list
    /// alternatives separated by <c>|</c>; <see cref="Admin"/> satisfies everything.
    /// </summary>
    public static bool Satisfies(IReadOnlyCollection<string> held, string required)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(required);
        if (held.Contains(Admin))
        {
            return true;
        }

        foreach (var alternative in required.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (held.Contains(alternative))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The effective set of scopes: <see cref="Admin"/> expands to all scopes.</summary>
    public static IReadOnlySet<string> Expand(IEnumerable<string> scopes)
    {
        var set = new HashSet<string>(scopes, StringComparer.Ordinal);
        if (set.Contains(Admin))
        {
            set.UnionWith(All);
        }

        return set;
    }

    public static bool GrantsKeyAdministration(IEnumerable<string> scopes) =>
        scopes.Any(s => s is Admin or KeysAdmin);
}
