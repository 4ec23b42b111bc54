using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Operations.Queries.GetOperation;

/// <summary>One operation: any with <c>audit:read</c>, or the caller's own with <c>containers:read</c>.</summary>
public sealed record GetOperationQuery(long Id) : IAppQuery<OperationDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.OperationsRead;
}
