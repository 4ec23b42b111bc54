namespace ProxmoxLxc.Application.Events;

/// <summary>The event log and its streams (section <c>Events</c>).</summary>
public sealed class EventOptions
{
    public const string SectionName = "Events";

    /// <summary>Events older than this many days are pruned in the background (default 7).</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>How often readers poll the table for events other instances wrote (default 1000 ms; at most 1000).</summary>
    public int PollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>How often the background pruner runs (default 60 minutes).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A heartbeat comment on an idle stream every this many seconds (default 15).</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>How often a stream re-checks its key (revoked, disabled, expired: the stream ends; default 1000 ms).</summary>
    public int KeyCheckMilliseconds { get; set; } = 1000;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(Math.Clamp(PollIntervalMilliseconds, 10, 1000));
}
