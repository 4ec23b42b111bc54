using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Application.Operations.Queries.GetOperation;
using ProxmoxLxc.Application.Operations.Queries.ListOperations;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>The operation log: every call, and every Proxmox task it started.</summary>
[Route("api/v1/operations")]
[Tags("Operations")]
public sealed class OperationsController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>Search the audit trail, newest first (scope <c>audit:read</c>).</summary>
    [HttpGet(Name = "Operations_List")]
    [ProducesResponseType(typeof(Page<OperationDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<Page<OperationDto>> List([FromQuery] ListOperationsQuery query, CancellationToken cancellationToken) =>
        await Sender.Send(query, cancellationToken);

    /// <summary>One operation: your own with <c>containers:read</c>, any with <c>audit:read</c>.</summary>
    [HttpGet("{id:long}", Name = "Operations_Get")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<OperationDto> Get(long id, CancellationToken cancellationToken) =>
        await Sender.Send(new GetOperationQuery(id), cancellationToken);
}
