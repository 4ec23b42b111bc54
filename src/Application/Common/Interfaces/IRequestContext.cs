namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>Facts about the current request for the operation log (a neutral default outside HTTP).</summary>
public interface IRequestContext
{
    string RequestId { get; }
    string Method { get; }
    string Path { get; }
    string? ClientAddress { get; }
}
