using System.Text.RegularExpressions;

namespace ProxmoxEmulator;

/// <summary>Kinds of request-level faults.</summary>
public enum FaultKind
{
    /// <summary>Delay the request by <see cref="FaultRule.Latency"/>.</summary>
    Latency,

    /// <summary>Answer with <see cref="FaultRule.Status"/> (500, 595, 596, ...) and <see cref="FaultRule.Message"/>.</summary>
    Error,

    /// <summary>Abort the connection mid-request (client sees an IOException/HttpRequestException).</summary>
    Drop,

    /// <summary>Do the work, then hold the answer back for <see cref="FaultRule.Latency"/> (the reply comes late).</summary>
    ReplyDelay,

    /// <summary>Do the work, then abort the connection instead of answering (the reply never comes).</summary>
    ReplyDrop,
}

/// <summary>
/// A request fault. <see cref="PathPattern"/> is a regex matched (unanchored) against the path below
/// <c>/api2/json</c>, e.g. <c>^/nodes/[^/]+/lxc$</c>; null matches everything. <see cref="Method"/> null = any method.
/// </summary>
public sealed class FaultRule
{
    /// <summary>Kind of fault.</summary>
    public FaultKind Kind { get; set; } = FaultKind.Error;

    /// <summary>Regex on the path below <c>/api2/json</c>; null = any.</summary>
    public string? PathPattern { get; set; }

    /// <summary>HTTP method; null = any.</summary>
    public string? Method { get; set; }

    /// <summary>Status for <see cref="FaultKind.Error"/> (default 500).</summary>
    public int Status { get; set; } = 500;

    /// <summary>Message (reason phrase and, for status &lt; 595, JSON <c>message</c>).</summary>
    public string? Message { get; set; }

    /// <summary>Delay for <see cref="FaultKind.Latency"/> (before the work) and <see cref="FaultKind.ReplyDelay"/> (after it).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>How many more requests the rule applies to; null = unlimited.</summary>
    public int? Count { get; set; }

    /// <summary>Probability (0..1) that a matching request is affected.</summary>
    public double Probability { get; set; } = 1.0;

    internal bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathPattern is null || Regex.IsMatch(path, PathPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}

/// <summary>
/// Runtime fault injection. Thread-safe; changes apply to the next request. Also reachable over HTTP via
/// <c>POST /_emulator/faults</c> (see <see cref="EmulatorEngine"/>).
/// </summary>
public sealed class EmulatorFaults
{
    private readonly Lock _sync = new();
    private readonly List<FaultRule> _rules = [];
    private readonly List<(string Type, string? Error, int Warnings, int Remaining)> _taskFaults = [];
    private readonly List<(int? Vmid, int Remaining)> _lockTimeouts = [];
    private Random _random;
    private volatile bool _down;
    private volatile bool _stringNumbers;

    internal EmulatorFaults(EmulatorOptions options)
    {
        _random = new Random(options.RandomSeed);
        _stringNumbers = options.StringNumbers;
        foreach (var rule in options.Faults)
            Add(rule);
    }

    /// <summary>When true every API connection is aborted (the emulator looks down/unreachable).</summary>
    public bool Down { get => _down; set => _down = value; }

    /// <summary>When true vmid, sizes and counters are emitted as JSON strings (NOTES §4).</summary>
    public bool StringNumbers { get => _stringNumbers; set => _stringNumbers = value; }

    /// <summary>Active request rules.</summary>
    public IReadOnlyList<FaultRule> Rules { get { lock (_sync) return [.. _rules]; } }

    /// <summary>Adds a rule and returns it.</summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_sync)
            _rules.Add(rule);
        return rule;
    }

    /// <summary>Delays matching requests.</summary>
    public FaultRule AddLatency(TimeSpan latency, string? pathPattern = null, string? method = null, int? count = null) =>
        Add(new FaultRule { Kind = FaultKind.Latency, Latency = latency, PathPattern = pathPattern, Method = method, Count = count });

    /// <summary>Fails matching requests with <paramref name="status"/> (e.g. 500, 595, 596).</summary>
    public FaultRule FailRequests(int status, string? pathPattern = null, string? method = null, int? count = null, string? message = null, double probability = 1.0) =>
        Add(new FaultRule { Kind = FaultKind.Error, Status = status, PathPattern = pathPattern, Method = method, Count = count, Message = message, Probability = probability });

    /// <summary>Aborts the connection of matching requests.</summary>
    public FaultRule DropConnections(string? pathPattern = null, string? method = null, int? count = null) =>
        Add(new FaultRule { Kind = FaultKind.Drop, PathPattern = pathPattern, Method = method, Count = count });

    /// <summary>Does the work of matching requests, then answers only after <paramref name="delay"/>.</summary>
    public FaultRule DelayReplies(TimeSpan delay, string? pathPattern = null, string? method = null, int? count = null) =>
        Add(new FaultRule { Kind = FaultKind.ReplyDelay, Latency = delay, PathPattern = pathPattern, Method = method, Count = count });

    /// <summary>Does the work of matching requests, then aborts the connection instead of answering.</summary>
    public FaultRule DropReplies(string? pathPattern = null, string? method = null, int? count = null) =>
        Add(new FaultRule { Kind = FaultKind.ReplyDrop, PathPattern = pathPattern, Method = method, Count = count });

    /// <summary>The next <paramref name="count"/> tasks of <paramref name="taskType"/> (or <c>*</c>) end with <c>TASK ERROR: error</c>.</summary>
    public void FailNextTask(string taskType, string error = "emulated task failure", int count = 1)
    {
        lock (_sync)
            _taskFaults.Add((taskType, error, 0, count));
    }

    /// <summary>The next <paramref name="count"/> tasks of <paramref name="taskType"/> (or <c>*</c>) end with <c>WARNINGS: n</c>.</summary>
    public void WarnNextTask(string taskType, int warnings = 2, int count = 1)
    {
        lock (_sync)
            _taskFaults.Add((taskType, null, warnings, count));
    }

    /// <summary>The next <paramref name="count"/> operations on <paramref name="vmid"/> (null = any CT) fail with
    /// <c>can't lock file '/run/lock/lxc/pve-config-N.lock' - got timeout</c> (sync 500 or task error, per NOTES §6).</summary>
    public void LockTimeout(int? vmid = null, int count = 1)
    {
        lock (_sync)
            _lockTimeouts.Add((vmid, count));
    }

    /// <summary>Removes all faults and switches Down and StringNumbers off.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _rules.Clear();
            _taskFaults.Clear();
            _lockTimeouts.Clear();
        }
        _down = false;
        _stringNumbers = false;
    }

    /// <summary>Returns the rules that fire for this request (consuming counts).</summary>
    internal List<FaultRule> Match(string method, string path)
    {
        var result = new List<FaultRule>();
        lock (_sync)
        {
            foreach (var rule in _rules.ToList())
            {
                if (!rule.Matches(method, path))
                    continue;
                if (rule.Probability < 1.0 && _random.NextDouble() >= rule.Probability)
                    continue;
                if (rule.Count is { } c)
                {
                    if (c <= 1)
                        _rules.Remove(rule);
                    rule.Count = c - 1;
                }
                result.Add(rule);
            }
        }
        return result;
    }

    internal (string? Error, int Warnings) TakeTaskFault(string taskType)
    {
        lock (_sync)
        {
            for (var i = 0; i < _taskFaults.Count; i++)
            {
                var f = _taskFaults[i];
                if (f.Type != "*" && f.Type != taskType)
                    continue;
                if (f.Remaining <= 1)
                    _taskFaults.RemoveAt(i);
                else
                    _taskFaults[i] = f with { Remaining = f.Remaining - 1 };
                return (f.Error, f.Warnings);
            }
        }
        return (null, 0);
    }

    internal bool TakeLockTimeout(int vmid)
    {
        lock (_sync)
        {
            for (var i = 0; i < _lockTimeouts.Count; i++)
            {
                var f = _lockTimeouts[i];
                if (f.Vmid is { } v && v != vmid)
                    continue;
                if (f.Remaining <= 1)
                    _lockTimeouts.RemoveAt(i);
                else
                    _lockTimeouts[i] = f with { Remaining = f.Remaining - 1 };
                return true;
            }
        }
        return false;
    }

    internal void Reseed(int seed)
    {
        lock (_sync)
            _random = new Random(seed);
    }

    internal double NextRandom()
    {
        lock (_sync)
            return _random.NextDouble();
    }

    internal int NextInt(int max)
    {
        lock (_sync)
            return _random.Next(max);
    }
}
