using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>Request facts for work that does not come through HTTP (command-line verbs, background workers).</summary>
internal sealed class BackgroundRequestContext : IRequestContext
{
    public string RequestId { get; } = Guid.NewGuid().ToString("N");
    public string Method => "CLI";
    public string Path => "-";
    public string? ClientAddress => null;
}
