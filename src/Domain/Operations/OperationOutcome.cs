namespace ProxmoxLxc.Domain.Operations;

/// <summary>Outcome of a recorded call or Proxmox task (the contract's Operation status).</summary>
public enum OperationOutcome
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
    Rejected = 3,
}
