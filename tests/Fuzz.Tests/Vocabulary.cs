using System.Globalization;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>
/// Values of the fuzz cluster by parameter or property name (case-insensitive), so that generated requests also get
/// past validation and reach the emulator. Types come from the OpenAPI schema; this only says which values exist.
/// </summary>
internal static class Vocabulary
{
    public const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g fuzz@example";

    private static readonly Dictionary<string, string[]> Strings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["node"] = [.. FuzzWorld.Nodes, "pve9"],
        ["targetNode"] = [.. FuzzWorld.Nodes],
        ["allowedNodes"] = [.. FuzzWorld.Nodes],
        ["pool"] = [.. FuzzWorld.Pools, "nopool"],
        ["allowedPools"] = [.. FuzzWorld.Pools],
        ["storage"] = ["local-lvm", "local"],
        ["targetStorage"] = ["local-lvm", "local"],
        ["template"] = [FuzzWorld.Debian, FuzzWorld.Ubuntu, "local:vztmpl/missing.tar.zst"],
        // New names only: a key's own earlier create may show in its operation log later, and must not look like a
        // seeded container's name there.
        ["hostname"] = ["fuzz1", "fuzz2", "web-next"],
        ["name"] = ["snap1", "eth0", "fuzz-key"],
        ["bridge"] = ["vmbr0"],
        ["ipv4"] = ["10.0.0.50/24", "10.0.0.51/24", "dhcp"],
        ["gateway4"] = ["10.0.0.1"],
        ["ipv6"] = ["auto", "dhcp", "fd00::5/64"],
        ["gateway6"] = ["fd00::1"],
        ["macAddress"] = ["BC:24:11:00:00:01"],
        ["path"] = ["/mnt/data"],
        ["disk"] = ["rootfs", "mp0"],
        ["scopes"] = [.. FuzzWorld.AllScopes],
        ["tags"] = ["web", "prod"],
        ["tag"] = ["web", "prod"],
        ["delete"] = ["cpuLimit", "nameserver", "networks[1]", "memoryMiB", "description", "tags", "onBoot"],
        ["description"] = ["hello", "line one\nline two"],
        ["nameserver"] = ["1.1.1.1"],
        ["searchDomain"] = ["example.com"],
        ["password"] = ["secret123"],
        ["sshPublicKeys"] = [SshKey],
        ["status"] = ["running", "stopped"],
        ["search"] = ["web", "db"],
        ["timeframe"] = ["hour", "day", "week", "month", "year"],
        ["cf"] = ["average", "max"],
        ["action"] = ["Containers_Create", "Containers_Start", "Keys_Create"],
        ["outcome"] = ["succeeded", "failed", "rejected", "running"],
        ["Prefer"] = ["wait=0", "wait=1"],
        ["If-Match"] = ["\"0000000000000000000000000000000000000000\"", "*"],
        // Two keys that get reused (a different body → 422) and many that do not (the request goes through).
        ["Idempotency-Key"] = ["fuzz-idem-1", "fuzz-idem-2", .. Enumerable.Range(3, 30).Select(i => "fuzz-idem-" + i.ToString(CultureInfo.InvariantCulture))],
        ["X-Request-Id"] = ["fuzz-request-1"],
        ["expiresAt"] = ["2030-01-01T00:00:00Z"],
        ["from"] = ["2020-01-01T00:00:00Z"],
        ["to"] = ["2040-01-01T00:00:00Z"],
    };

    private static readonly Dictionary<string, string[]> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["vmid"] = [.. FuzzWorld.Containers.Select(c => c.Vmid.ToString(CultureInfo.InvariantCulture)), "150", "199"],
        ["vmids"] = [.. FuzzWorld.Containers.Select(c => c.Vmid.ToString(CultureInfo.InvariantCulture)), "150"],
        ["maxParallel"] = ["1", "4", "32"],
        ["newVmid"] = ["150", "101", "4711", "199"],
        ["sizeGiB"] = ["10", "20", "1"],
        ["growGiB"] = ["1", "2"],
        ["cores"] = ["1", "2"],
        ["memoryMiB"] = ["512", "1024"],
        ["swapMiB"] = ["0", "512"],
        ["cpuLimit"] = ["0", "1.5"],
        ["cpuUnits"] = ["100", "1024"],
        ["rateMbps"] = ["10", "2.5"],
        ["vlan"] = ["5"],
        ["mtu"] = ["1500"],
        ["index"] = ["0", "1"],
        ["timeoutSeconds"] = ["0", "5"],
        ["limit"] = ["1", "50", "500"],
        ["min"] = ["100", "120"],
        ["max"] = ["149", "200"],
        ["id"] = ["1", "2", "3"],
    };

    /// <summary>Known string values for <paramref name="name"/>, or empty.</summary>
    public static string[] StringsFor(string name) => Strings.GetValueOrDefault(name) ?? [];

    /// <summary>Known numbers (JSON tokens) for <paramref name="name"/>, or empty.</summary>
    public static string[] NumbersFor(string name) => Numbers.GetValueOrDefault(name) ?? [];
}
