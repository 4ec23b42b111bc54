using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>Waits for a just-started operation (<c>Prefer: wait=N</c>, RFC 7240).</summary>
public interface IOperationWaiter
{
    /// <summary>Waits up to <paramref name="maxWait"/> (at most 120 s) and returns the operation as it then is.</summary>
    Task<OperationDto> WaitAsync(OperationDto operation, TimeSpan maxWait, CancellationToken cancellationToken);
}
