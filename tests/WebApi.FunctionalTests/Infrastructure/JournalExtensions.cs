using ProxmoxEmulator;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

internal static class JournalExtensions
{
    /// <summary>
    /// Proxmox calls other than the background task polling (the task follower and the reconciler read
    /// <c>/nodes/{node}/tasks…</c> for operations that earlier tests of a shared fixture started). A request refused by
    /// validation must leave this count unchanged.
    /// </summary>
    public static int RequestCalls(this RequestJournal journal) =>
        journal.Entries.Count(e => !(e.Method == "GET" && e.Route is { } route && route.StartsWith("GET /nodes/{node}/tasks", StringComparison.Ordinal)));
}
