namespace ProxmoxLxc.Infrastructure.Leasing;

/// <summary>
/// Section <c>Leases</c>: how long a row claimed by this instance stays its own without renewal, and how often it is
/// renewed. A dead instance's rows are free once their lease has run out; another instance takes them over at its next
/// scan (e.g. <c>Operations:ScanInterval</c>), so the takeover time is at most <see cref="Duration"/> plus that interval.
/// Instances compare lease times with their own clocks: keep the hosts' clocks synchronised (NTP) well within
/// <see cref="Duration"/>.
/// </summary>
public sealed class LeaseOptions
{
    public const string SectionName = "Leases";

    /// <summary>How long a claim or renewal holds (default 15 s).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often held leases are renewed (default 5 s; at most half of <see cref="Duration"/>).</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal bool IsValid() => RenewInterval > TimeSpan.Zero && RenewInterval * 2 <= Duration;
}
