using Mediator;

namespace ProxmoxLxc.Application.Common.Messaging;

/// <summary>Every message names the scope a caller needs; the authorization behavior enforces it.</summary>
public interface IRequireScope
{
    /// <summary>A scope from <see cref="Domain.ApiKeys.Scopes"/>; alternatives may be joined by <c>|</c>.</summary>
    static abstract string RequiredScope { get; }
}

/// <summary>A use case that changes something. Its audit row is written durably before the handler runs.</summary>
public interface IAppCommand<out TResponse> : ICommand<TResponse>, IRequireScope;

/// <summary>A read-only use case. Its audit row may be written in batches.</summary>
public interface IAppQuery<out TResponse> : IQuery<TResponse>, IRequireScope;

/// <summary>A message about one container: the audit row records its id.</summary>
public interface ITargetsContainer
{
    int VmId { get; }
}
