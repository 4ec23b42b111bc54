using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxmoxEmulator;

public sealed partial class EmulatorEngine
{
    /// <summary>Starts a worker: runs <paramref name="work"/> (its synchronous prologue runs before this returns),
    /// then records <c>OK</c>, <c>WARNINGS: n</c> or the error as exit status.</summary>
    internal string StartTask(string node, string type, string id, string user, Func<TaskScope, Task> work)
    {
        var pid = Interlocked.Increment(ref _nextPid);
        var pstart = 0x08D5A17CL + pid;
        var start = UnixNow;
        var upid = $"UPID:{node}:{Hex8(pid)}:{Hex8(pstart)}:{Hex8(start)}:{type}:{id}:{user}:";
        var task = new TaskState(upid, node, pid, pstart, start, type, id, user);
        lock (State.Sync)
        {
            task.RunningAtStart = State.Tasks.Count(t => t.IsRunning);
            State.AddTask(task);
        }
        var (error, warnings) = Faults.TakeTaskFault(type);
        var duration = Options.TaskDurations.TryGetValue(type, out var d) ? d : Options.DefaultTaskDuration;
        var scope = new TaskScope(task, duration, error, Options.TimeProvider);
        _ = RunTaskAsync(scope, work, warnings);
        return upid;
    }

    private async Task RunTaskAsync(TaskScope scope, Func<TaskScope, Task> work, int injectedWarnings)
    {
        string exit;
        try
        {
            await work(scope);
            for (var i = 1; i <= injectedWarnings; i++)
                scope.Warn($"emulated warning {i.ToString(CultureInfo.InvariantCulture)}");
            var warnings = scope.Task.Warnings;
            exit = warnings > 0 ? $"WARNINGS: {warnings.ToString(CultureInfo.InvariantCulture)}" : "OK";
            scope.Log(warnings > 0 ? "TASK " + exit : "TASK OK");
        }
        catch (Exception ex) when (ex is PveException or InvalidOperationException or KeyNotFoundException)
        {
            exit = ex.Message.TrimEnd('\n');
            scope.Log("TASK ERROR: " + exit);
        }
        lock (State.Sync)
        {
            scope.Task.EndTime = UnixNow;
            scope.Task.ExitStatus = exit;
        }
    }

    private JsonNode? TaskStatus(ApiRequest req)
    {
        var task = FindTask(req);
        var obj = new JsonObject
        {
            ["upid"] = task.Upid,
            ["node"] = task.Node,
            ["pid"] = task.Pid,
            ["pstart"] = task.PStart,
            ["starttime"] = task.StartTime,
            ["type"] = task.Type,
            ["id"] = task.Id,
            ["user"] = task.User,
            ["status"] = task.IsRunning ? "running" : "stopped",
        };
        if (task.ExitStatus is { } exit)
            obj["exitstatus"] = exit;
        return obj;
    }

    private JsonNode? TaskLog(ApiRequest req)
    {
        var task = FindTask(req);
        var start = req.Int("start") ?? 0;
        var limit = req.Int("limit") ?? 50;
        _ = req.Bool("download");
        var lines = task.Log;
        var arr = new JsonArray();
        for (var i = start; i < lines.Count && i < start + limit; i++)
            arr.Add(new JsonObject { ["n"] = i + 1, ["t"] = lines[i] });
        req.Total = lines.Count;
        return arr;
    }

    /// <summary>
    /// <c>GET /nodes/{node}/tasks</c> as pve-manager's Tasks.pm <c>node_tasks</c>: <c>source</c> archive (finished, the
    /// default), active (running, <c>status</c> <c>RUNNING</c>) or all; filters <c>vmid</c> (the UPID's id),
    /// <c>typefilter</c> (exact type), <c>userfilter</c> (case-insensitive substring of the user), <c>since</c>/<c>until</c>
    /// (start time, epoch seconds, inclusive), <c>errors</c> (not OK), <c>statusfilter</c> (ok,warning,error,unknown);
    /// newest first, then <c>start</c>/<c>limit</c> paging with the matching count in <c>total</c>.
    /// </summary>
    private JsonNode? TaskList(ApiRequest req)
    {
        var node = req.Node;
        var vmid = req.Int("vmid");
        var start = req.Int("start") ?? 0;
        var limit = req.Int("limit") ?? 50;
        var source = req.Str("source") ?? "archive";
        var type = req.Str("typefilter");
        var user = req.Str("userfilter");
        var since = req.Long("since");
        var until = req.Long("until");
        var errors = req.Bool("errors");
        var statuses = req.Str("statusfilter") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : null;
        if (statuses?.FirstOrDefault(s => s is not ("ok" or "warning" or "error" or "unknown")) is { } bad)
            throw PveException.Param("statusfilter", $"value '{bad}' does not have a value in the enumeration 'ok, warning, error, unknown'");
        var matching = State.Tasks
            .Where(t => t.Node == node)
            .Where(t => source == "all" || (source == "active") == t.IsRunning)
            .Where(t => vmid is null || t.Id == vmid.Value.ToString(CultureInfo.InvariantCulture))
            .Where(t => type is null || t.Type == type)
            .Where(t => string.IsNullOrEmpty(user) || t.User.Contains(user, StringComparison.OrdinalIgnoreCase))
            .Where(t => since is null || t.StartTime >= since)
            .Where(t => until is null || t.StartTime <= until)
            .Where(t => !errors || (!t.IsRunning && t.ExitStatus != "OK"))
            .Where(t => statuses is null || statuses.Contains(StatusType(t)))
            .OrderBy(t => t.IsRunning ? 0 : 1)
            .ThenByDescending(t => t.StartTime)
            .ThenByDescending(t => t.Pid)
            .ToList();
        req.Total = matching.Count;
        var arr = new JsonArray();
        foreach (var t in matching.Skip(start).Take(limit))
        {
            var summary = TaskSummary(t);
            if (t.IsRunning)
                summary["status"] = "RUNNING";
            arr.Add(summary);
        }
        return arr;
    }

    /// <summary><c>GET /cluster/tasks</c>: recent tasks of every node (running ones without status), newest first.</summary>
    private JsonNode? ClusterTasks(ApiRequest req)
    {
        _ = req;
        var arr = new JsonArray();
        foreach (var t in State.Tasks.OrderByDescending(t => t.StartTime).ThenByDescending(t => t.Pid))
            arr.Add(TaskSummary(t));
        return arr;
    }

    private static string StatusType(TaskState t) => t.ExitStatus switch
    {
        null => "unknown",
        "OK" => "ok",
        var s when s.StartsWith("WARNINGS: ", StringComparison.Ordinal) => "warning",
        _ => "error",
    };

    private static JsonObject TaskSummary(TaskState t)
    {
        var obj = new JsonObject
        {
            ["upid"] = t.Upid,
            ["node"] = t.Node,
            ["pid"] = t.Pid,
            ["pstart"] = t.PStart,
            ["starttime"] = t.StartTime,
            ["type"] = t.Type,
            ["id"] = t.Id,
            ["user"] = t.User,
        };
        if (t.ExitStatus is { } exit)
        {
            obj["status"] = exit;
            obj["endtime"] = t.EndTime;
        }
        return obj;
    }

    private TaskState FindTask(ApiRequest req)
    {
        var upid = req.Required("upid");
        var task = State.FindTask(upid);
        if (task is null || task.Node != req.Node)
            throw PveException.Param("upid", "no such task");
        return task;
    }

    internal sealed class TaskScope
    {
        private readonly TimeSpan _duration;
        private readonly string? _injectedError;
        private readonly TimeProvider _time;

        public TaskScope(TaskState task, TimeSpan duration, string? injectedError, TimeProvider time)
        {
            Task = task;
            _duration = duration;
            _injectedError = injectedError;
            _time = time;
        }

        public TaskState Task { get; }

        public void Log(string line) => Task.AppendLog(line);

        public void Warn(string line)
        {
            Task.Warnings++;
            Task.AppendLog("WARN: " + line);
        }

        /// <summary>Simulates the work; afterwards throws an injected failure, if any.</summary>
        public async Task WaitAsync()
        {
            if (_duration > TimeSpan.Zero)
                await System.Threading.Tasks.Task.Delay(_duration, _time);
            else
                await System.Threading.Tasks.Task.Yield();
            if (_injectedError is not null)
                throw new PveException(500, _injectedError);
        }
    }
}
