using System.Text.Json.Serialization;

namespace ProxmoxLxc.Infrastructure.Proxmox.Wire;

// Proxmox JSON shapes (names match case-insensitively). Never exposed outside Infrastructure.

internal sealed record WireVersion(string? Version, string? Release, string? RepoId);

internal sealed record WireClusterResource(
    string? Id, string? Type, int? VmId, string? Node, string? Status, string? Name, bool Template,
    double Cpu, double MaxCpu, long Mem, long MaxMem, long Disk, long MaxDisk, long Uptime,
    long NetIn, long NetOut, long DiskRead, long DiskWrite, string? Tags, string? Pool, string? Lock, string? HaState);

internal sealed record WireNode(
    string? Node, string? Status, double Cpu, double MaxCpu, long Mem, long MaxMem, long Uptime,
    [property: JsonPropertyName("ssl_fingerprint")] string? SslFingerprint);

internal sealed record WireContainerStatus(
    int VmId, string? Status, string? Name, long Uptime, double Cpu, double Cpus, long Mem, long MaxMem,
    long Swap, long MaxSwap, long Disk, long MaxDisk, long NetIn, long NetOut, long DiskRead, long DiskWrite,
    string? Lock, WireHa? Ha, bool Template, string? Tags, int? Pid);

internal sealed record WireHa(bool Managed, string? State);

internal sealed record WirePending(string? Key, string? Value, string? Pending, bool Delete);

internal sealed record WireSnapshot(string? Name, string? Description, string? Parent, long? SnapTime);

internal sealed record WireRrdPoint(
    double Time, double? Cpu, double? MaxCpu, double? Mem, double? MaxMem, double? Disk, double? MaxDisk,
    double? NetIn, double? NetOut, double? DiskRead, double? DiskWrite);

internal sealed record WireInterface(
    string? Name, string? HwAddr, [property: JsonPropertyName("hardware-address")] string? HardwareAddress,
    string? Inet, string? Inet6, [property: JsonPropertyName("ip-addresses")] IReadOnlyList<WireIpAddress>? IpAddresses);

internal sealed record WireIpAddress(
    [property: JsonPropertyName("ip-address")] string? IpAddress,
    [property: JsonPropertyName("ip-address-type")] string? IpAddressType,
    int Prefix);

internal sealed record WireTaskStatus(string? Status, string? ExitStatus, string? Upid, string? Node, string? Type);

internal sealed record WireTaskLogLine(int N, string? T);

internal sealed record WireStorage(
    string? Storage, string? Type, string? Content, bool Active, bool Enabled, bool Shared, long Total, long Used, long Avail);

internal sealed record WireStorageContent(string? VolId, string? Format, long Size, long? CTime, string? Content);

internal sealed record WireTicket(
    string? Username, string? Ticket, [property: JsonPropertyName("CSRFPreventionToken")] string? CsrfPreventionToken);

/// <summary>An entry of <c>GET /nodes/{node}/tasks</c> (pve-manager Tasks.pm <c>node_tasks</c>).</summary>
internal sealed record WireTaskListEntry(string? Upid, string? Node, string? Type, string? Id, string? User, string? Status);
