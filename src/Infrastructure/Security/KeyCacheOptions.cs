namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// Section <c>KeyCache</c>: how often this instance reads the key-change stamp. Key changes made through another
/// instance (or the command line) take effect here within <see cref="ChangePollInterval"/> plus one query; the contract
/// promises 2 s, so keep it at or below 1 s in production.
/// </summary>
public sealed class KeyCacheOptions
{
    public const string SectionName = "KeyCache";

    /// <summary>Time between two reads of the key-change stamp (default 1 s).</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
