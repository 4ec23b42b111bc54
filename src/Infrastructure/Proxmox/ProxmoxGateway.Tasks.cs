using System.Globalization;
using System.Text.Json;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Proxmox tasks: status, log tail, waiting with adaptive back-off.</summary>
internal sealed partial class ProxmoxGateway
{
    public async Task<ProxmoxTaskStatus> GetTaskStatusAsync(ProxmoxTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var wire = await api.GetAsync<WireTaskStatus>(TaskPath(task) + "/status", "tasks.status", cancellationToken);
        return TaskStatusMapping.ToStatus(task, wire.Status, wire.ExitStatus);
    }

    public async Task<ProxmoxTaskLog> GetTaskLogTailAsync(ProxmoxTask task, int lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(lines, 1);
        var (page, total) = await GetTaskLogAsync(task, 0, lines, cancellationToken);
        if (total > lines)
            (page, total) = await GetTaskLogAsync(task, total - lines, lines, cancellationToken);
        return new ProxmoxTaskLog(page, total);
    }

    public async Task<ProxmoxTaskStatus> WaitForTaskAsync(ProxmoxTask task, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var settings = options.Value;
        var deadline = timeProvider.GetUtcNow() + maxWait;
        var delay = settings.TaskPollInitialDelay;
        while (true)
        {
            var status = await GetTaskStatusAsync(task, cancellationToken);
            var remaining = deadline - timeProvider.GetUtcNow();
            if (!status.IsRunning || remaining <= TimeSpan.Zero)
                return status;
            await Task.Delay(delay < remaining ? delay : remaining, timeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * 1.6), settings.TaskPollMaxDelay.Ticks));
        }
    }

    private async Task<(IReadOnlyList<ProxmoxTaskLogLine> Lines, int Total)> GetTaskLogAsync(ProxmoxTask task, int start, int limit, CancellationToken cancellationToken)
    {
        var root = await api.SendForEnvelopeAsync(HttpMethod.Get, TaskPath(task) + "/log",
            [Param("start", start.ToString(CultureInfo.InvariantCulture)), Param("limit", limit.ToString(CultureInfo.InvariantCulture))],
            "tasks.log", cancellationToken);
        var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) ? d : default;
        var wire = data.ValueKind == JsonValueKind.Array ? ProxmoxApiClient.Deserialize<List<WireTaskLogLine>>(data, "tasks.log") : [];
        var lines = wire.Select(WireMapping.ToModel).ToList();
        var total = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("total", out var t)
            && int.TryParse(ProxmoxJson.AsText(t), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : start + lines.Count;
        return (lines, total);
    }

    private static string TaskPath(ProxmoxTask task) => $"nodes/{Segment("node", task.Node)}/tasks/{Uri.EscapeDataString(task.Upid)}";
}
