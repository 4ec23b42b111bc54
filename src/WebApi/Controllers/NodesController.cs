using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Nodes;
using ProxmoxLxc.Application.Nodes.Queries.ListNodes;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>Cluster nodes (scope <c>containers:read</c>).</summary>
[Route("api/v1/nodes")]
[Tags("Nodes")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status504GatewayTimeout, "application/problem+json")]
public sealed class NodesController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>Nodes the key may see, with status, CPU, memory and disk use.</summary>
    [HttpGet(Name = "Nodes_List")]
    [ProducesResponseType(typeof(Page<NodeDto>), StatusCodes.Status200OK)]
    public async Task<Page<NodeDto>> List(CancellationToken cancellationToken) =>
        await Sender.Send(new ListNodesQuery(), cancellationToken);
}
