namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// The database's start-up work — migrations, then the bootstrap key — which runs while the rest of the service starts
/// (the web server included): whatever uses the database before it is done waits for it.
/// </summary>
public interface IDatabaseStartup
{
    /// <summary>True once the database is migrated and seeded.</summary>
    bool IsReady { get; }

    /// <summary>
    /// Waits for the start-up work: true when it succeeded, false when it failed (the host's start then fails and the
    /// service stops).
    /// </summary>
    Task<bool> WaitAsync(CancellationToken cancellationToken);
}
