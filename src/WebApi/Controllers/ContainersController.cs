using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Containers;
using ProxmoxLxc.Application.Containers.Queries.GetContainer;
using ProxmoxLxc.Application.Containers.Queries.GetContainerMetrics;
using ProxmoxLxc.Application.Containers.Queries.GetContainerStatus;
using ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;
using ProxmoxLxc.Application.Containers.Queries.ListContainers;
using ProxmoxLxc.Application.Containers.Queries.ListSnapshots;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>Reading containers (scope <c>containers:read</c>). Containers outside the key's restriction answer 404.</summary>
[Route("api/v1/containers")]
[Tags("Containers")]
public sealed class ContainersController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>List containers, ordered by vmid, filtered and paginated (pass <c>nextCursor</c> as <c>cursor</c>).</summary>
    [HttpGet(Name = "Containers_List")]
    [ProducesResponseType(typeof(Page<ContainerSummaryDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<Page<ContainerSummaryDto>> List([FromQuery] ListContainersQuery query, CancellationToken cancellationToken) =>
        WithAge(await Sender.Send(query, cancellationToken));

    /// <summary>Live figures of up to 500 containers in one call: one entry per <c>vmid</c> asked, in order;
    /// an unknown (or invisible) id answers <c>{vmid, error: "container_not_found"}</c>.</summary>
    [HttpGet("status", Name = "Containers_StatusBatch")]
    [ProducesResponseType(typeof(ContainerStatusBatchDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ContainerStatusBatchDto> StatusBatch([FromQuery(Name = "vmid")] int[]? ids, CancellationToken cancellationToken) =>
        WithAge(await Sender.Send(new GetContainerStatusBatchQuery(ids ?? []), cancellationToken));

    /// <summary>Answers served from the inventory view say how old it is (<c>Age</c>, seconds).</summary>
    private T WithAge<T>(Inventoried<T> answer)
    {
        Response.Headers.Age = answer.AgeSeconds.ToString(CultureInfo.InvariantCulture);
        return answer.Value;
    }

    /// <summary>One container in full; the <c>ETag</c> header carries the Proxmox config digest.</summary>
    [HttpGet("{vmid:int}", Name = "Containers_Get")]
    [ProducesResponseType(typeof(ContainerDetailDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ContainerDetailDto> Get(int vmid, CancellationToken cancellationToken)
    {
        var detail = await Sender.Send(new GetContainerQuery(vmid), cancellationToken);
        if (detail.Digest is { Length: > 0 } digest)
        {
            Response.Headers.ETag = $"\"{digest}\"";
        }

        return detail;
    }

    /// <summary>Live figures of one container.</summary>
    [HttpGet("{vmid:int}/status", Name = "Containers_Status")]
    [ProducesResponseType(typeof(ContainerStatusDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ContainerStatusDto> Status(int vmid, CancellationToken cancellationToken) =>
        await Sender.Send(new GetContainerStatusQuery(vmid), cancellationToken);

    /// <summary>Time series: <c>timeframe</c> hour (default) | day | week | month | year, <c>cf</c> average (default) | max.</summary>
    [HttpGet("{vmid:int}/metrics", Name = "Containers_Metrics")]
    [ProducesResponseType(typeof(ContainerMetricsDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ContainerMetricsDto> Metrics(int vmid, [FromQuery] string? timeframe, [FromQuery] string? cf, CancellationToken cancellationToken) =>
        await Sender.Send(new GetContainerMetricsQuery(vmid, timeframe, cf), cancellationToken);

    /// <summary>Snapshots of one container, oldest first.</summary>
    [HttpGet("{vmid:int}/snapshots", Name = "Containers_ListSnapshots")]
    [ProducesResponseType(typeof(Page<SnapshotDto>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<SnapshotDto>> ListSnapshots(int vmid, CancellationToken cancellationToken) =>
        await Sender.Send(new ListSnapshotsQuery(vmid), cancellationToken);
}
